#pragma once
// The undo steps of painting: each edit stores the point list before and after
// (toy sets hold at most a few thousand points, so whole lists are cheap and an
// undo restores exactly what was there). Successive moves of one drag merge.
#include <QUndoCommand>
#include <vector>

#include "ui/paint/paint_data.h"

namespace bayeslab::ui {

class DataEditCommand : public QUndoCommand {
 public:
  // `dragSerial` >= 0 marks a move of that drag: moves of the same drag merge.
  DataEditCommand(PaintData* data, const QString& text, std::vector<PaintPoint> before,
                  std::vector<PaintPoint> after, int dragSerial = -1);

  void undo() override;
  void redo() override;
  int id() const override;
  bool mergeWith(const QUndoCommand* other) override;

 private:
  PaintData* m_data;
  std::vector<PaintPoint> m_before, m_after;
  int m_dragSerial;
};

}  // namespace bayeslab::ui
