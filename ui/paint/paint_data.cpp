#include "ui/paint/paint_data.h"

#include <QStringList>
#include <QUndoStack>

#include "ui/paint/data_edit_commands.h"

namespace bayeslab::ui {

PaintData::PaintData(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this)) {}

PaintData::~PaintData() {
  // The commands point at this object: drop them before it goes.
  m_undo->clear();
}

bool PaintData::canPaint(const Dataset& train) {
  if (train.isImage()) return false;
  if (train.task == Task::Regression) return train.inputDim() == 1 && train.targets.rows() == 1;
  return train.inputDim() == 2 && train.classes >= 2;
}

void PaintData::reset(const Dataset& train) {
  m_undo->clear();
  m_active = canPaint(train);
  m_like = train.emptyLike();
  m_points.clear();
  if (m_active) {
    m_points.reserve(static_cast<size_t>(train.size()));
    for (Index i = 0; i < train.size(); ++i) {
      PaintPoint p;
      p.x = train.inputs(0, i);
      if (train.task == Task::Regression) {
        p.y = train.targets(0, i);
      } else {
        p.y = train.inputs(1, i);
        p.label = train.labels(i);
      }
      p.id = static_cast<quint64>(i);
      m_points.push_back(p);
    }
  }
  m_base = m_points;
  m_nextId = m_points.size();
  m_undo->setClean();
  emit baseChanged();
}

Dataset PaintData::dataset() const {
  Dataset d = m_like;
  const Index n = static_cast<Index>(m_points.size());
  if (!m_active) return d;
  if (d.task == Task::Regression) {
    d.inputs.resize(1, n);
    d.targets.resize(1, n);
    for (Index i = 0; i < n; ++i) {
      d.inputs(0, i) = static_cast<Real>(m_points[static_cast<size_t>(i)].x);
      d.targets(0, i) = static_cast<Real>(m_points[static_cast<size_t>(i)].y);
    }
  } else {
    d.inputs.resize(2, n);
    d.labels.resize(n);
    for (Index i = 0; i < n; ++i) {
      const PaintPoint& p = m_points[static_cast<size_t>(i)];
      d.inputs(0, i) = static_cast<Real>(p.x);
      d.inputs(1, i) = static_cast<Real>(p.y);
      d.labels(i) = p.label;
    }
  }
  return d;
}

int PaintData::added() const {
  int n = 0;
  for (const PaintPoint& p : m_points) n += p.id >= m_base.size() ? 1 : 0;
  return n;
}

int PaintData::removed() const {
  const int kept = static_cast<int>(m_points.size()) - added();
  return static_cast<int>(m_base.size()) - kept;
}

int PaintData::moved() const {
  int n = 0;
  for (const PaintPoint& p : m_points)
    if (p.id < m_base.size() && !(m_base[static_cast<size_t>(p.id)] == p)) ++n;
  return n;
}

QString PaintData::summary() const {
  QStringList parts;
  if (added() > 0) parts << tr("%n added", nullptr, added());
  if (removed() > 0) parts << tr("%n removed", nullptr, removed());
  if (moved() > 0) parts << tr("%n moved", nullptr, moved());
  const int n = static_cast<int>(m_points.size());
  if (parts.isEmpty()) return tr("Training on the run's %n points (unchanged)", nullptr, n);
  return tr("Training on %n painted points: %1 since the run started", nullptr, n)
      .arg(parts.join(QStringLiteral(", ")));
}

void PaintData::addPoints(const std::vector<QPointF>& at, int label, const QString& text) {
  if (!m_active || at.empty()) return;
  std::vector<PaintPoint> after = m_points;
  for (const QPointF& q : at) after.push_back(PaintPoint{q.x(), q.y(), label, m_nextId++});
  m_undo->push(new DataEditCommand(this, text, m_points, std::move(after)));
}

void PaintData::removePoint(int index) {
  if (index < 0 || index >= static_cast<int>(m_points.size())) return;
  std::vector<PaintPoint> after = m_points;
  after.erase(after.begin() + index);
  m_undo->push(new DataEditCommand(this, tr("Remove point"), m_points, std::move(after)));
}

void PaintData::movePoint(int index, QPointF to) {
  if (index < 0 || index >= static_cast<int>(m_points.size())) return;
  std::vector<PaintPoint> after = m_points;
  after[static_cast<size_t>(index)].x = to.x();
  after[static_cast<size_t>(index)].y = to.y();
  m_undo->push(
      new DataEditCommand(this, tr("Move point"), m_points, std::move(after), m_dragSerial));
}

void PaintData::clear() {
  if (m_points.empty()) return;
  m_undo->push(new DataEditCommand(this, tr("Clear points"), m_points, {}));
}

void PaintData::setPoints(std::vector<PaintPoint> points) {
  m_points = std::move(points);
  emit changed();
}

}  // namespace bayeslab::ui
