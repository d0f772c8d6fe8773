#pragma once
// The training set as painted on the predictive view (issue 12): the points,
// their edit history (a QUndoStack: Ctrl+Z / Ctrl+Shift+Z) and how far they
// are from the run's original training set.
//
// Only what the predictive views can show is paintable: 1-D regression (a
// point is (x, y)) and 2-D classification (a point is (x0, x1) and a class).
// Every point keeps an id: the run's own points are 0..N-1 and painted ones
// get new ids, so "added", "removed" and "moved" are counted against the run's
// start however the edits are undone and redone.
#include <QObject>
#include <QPointF>
#include <QString>
#include <vector>

#include "engine/data/dataset.h"

QT_BEGIN_NAMESPACE
class QUndoStack;
QT_END_NAMESPACE

namespace bayeslab::ui {

struct PaintPoint {
  double x = 0.0;  // regression: the input; classification: x0
  double y = 0.0;  // regression: the target; classification: x1
  int label = 0;   // classification: the class
  quint64 id = 0;
  bool operator==(const PaintPoint&) const = default;
};

class PaintData : public QObject {
  Q_OBJECT

 public:
  explicit PaintData(QObject* parent = nullptr);
  ~PaintData() override;

  // 1-D regression with one target or 2-D classification (not images).
  static bool canPaint(const Dataset& train);

  // A new run's training set becomes the base; the undo history is forgotten.
  // A set that cannot be painted leaves the data inactive.
  void reset(const Dataset& train);
  bool isActive() const { return m_active; }
  Task task() const { return m_like.task; }
  int classes() const { return m_like.classes; }

  const std::vector<PaintPoint>& points() const { return m_points; }
  // The points as a training set of the run's kind.
  Dataset dataset() const;

  // Counted against the run's training set.
  int added() const;
  int removed() const;
  int moved() const;
  bool isEdited() const { return added() + removed() + moved() > 0; }
  // "Training on 34 painted points: 3 added, 1 removed since the run started".
  QString summary() const;

  QUndoStack* undoStack() const { return m_undo; }

  // Undoable edits. Points are given in data coordinates.
  void addPoints(const std::vector<QPointF>& at, int label, const QString& text);
  void removePoint(int index);
  // A drag: the moves between beginDrag() calls merge into one undo step.
  void beginDrag() { ++m_dragSerial; }
  void movePoint(int index, QPointF to);
  void clear();

  // Used by the undo commands: replaces the points and announces it.
  void setPoints(std::vector<PaintPoint> points);

 signals:
  // The points changed (an edit, an undo or a redo); not sent by reset().
  void changed();
  // reset() gave a new base.
  void baseChanged();

 private:
  QUndoStack* m_undo = nullptr;
  Dataset m_like;  // an empty set of the run's kind
  bool m_active = false;
  std::vector<PaintPoint> m_points;
  std::vector<PaintPoint> m_base;  // the run's own points, by id
  quint64 m_nextId = 0;
  int m_dragSerial = 0;
};

}  // namespace bayeslab::ui
