#include "ui/paint/data_edit_commands.h"

namespace bayeslab::ui {

namespace {
constexpr int kMoveCommandId = 0x5041;  // any constant unique among the stack's commands
}

DataEditCommand::DataEditCommand(PaintData* data, const QString& text,
                                 std::vector<PaintPoint> before, std::vector<PaintPoint> after,
                                 int dragSerial)
    : QUndoCommand(text),
      m_data(data),
      m_before(std::move(before)),
      m_after(std::move(after)),
      m_dragSerial(dragSerial) {}

void DataEditCommand::undo() { m_data->setPoints(m_before); }

void DataEditCommand::redo() { m_data->setPoints(m_after); }

int DataEditCommand::id() const { return m_dragSerial >= 0 ? kMoveCommandId : -1; }

bool DataEditCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = dynamic_cast<const DataEditCommand*>(other);
  if (!o || o->m_dragSerial != m_dragSerial) return false;
  m_after = o->m_after;
  return true;
}

}  // namespace bayeslab::ui
