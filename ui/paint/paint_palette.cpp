#include "ui/paint/paint_palette.h"

#include <QAction>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>

#include "ui/views/chart_style.h"

namespace bayeslab::ui {

namespace {

QIcon swatch(const QColor& color) {
  QPixmap pixmap(14, 14);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(Qt::white, 1.0));
  painter.setBrush(color);
  painter.drawEllipse(QRectF(1, 1, 12, 12));
  return QIcon(pixmap);
}

QToolButton* toolButton(QWidget* parent, const QString& text, const QString& tip) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(tip);
  b->setAutoRaise(true);
  return b;
}

}  // namespace

PaintPalette::PaintPalette(QUndoStack* undo, QWidget* parent) : QWidget(parent) {
  setObjectName("paintPalette");
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 2, 6, 2);
  layout->setSpacing(4);

  m_paint = new QAction(tr("Paint data"), this);
  m_paint->setObjectName("paintMode");
  m_paint->setCheckable(true);
  m_paint->setShortcut(Qt::Key_D);
  m_paint->setToolTip(
      tr("Paint mode (D): click the plot to add a training point, drag a point to move it, "
         "right-click to remove one. Training goes on with the edited data, without a reset. "
         "Off by default so that clicks never add points by accident."));
  auto* paintButton = new QToolButton(this);
  paintButton->setDefaultAction(m_paint);
  paintButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
  layout->addWidget(paintButton);

  m_point = toolButton(this, tr("Point"), tr("Each click adds one point where you click."));
  m_brush = toolButton(this, tr("Brush"),
                       tr("Each click, and every half radius of a drag, adds 'count' points "
                          "spread uniformly over a disc of the given radius: quick clusters."));
  for (QToolButton* b : {m_point, m_brush}) b->setCheckable(true);
  m_point->setChecked(true);
  auto* tools = new QButtonGroup(this);
  tools->addButton(m_point);
  tools->addButton(m_brush);
  tools->setExclusive(true);
  connect(tools, &QButtonGroup::buttonToggled, this, [this] { emit settingsChanged(); });

  auto* radiusLabel = new QLabel(tr("radius"), this);
  m_radius = new QSpinBox(this);
  m_radius->setRange(4, 200);
  m_radius->setValue(30);
  m_radius->setSuffix(tr(" px"));
  m_radius->setToolTip(tr("Brush radius on screen, in pixels: how far apart the sprayed points "
                          "land (zoom-independent)."));
  radiusLabel->setToolTip(m_radius->toolTip());
  auto* countLabel = new QLabel(tr("count"), this);
  m_count = new QSpinBox(this);
  m_count->setRange(1, 200);
  m_count->setValue(8);
  m_count->setToolTip(tr("Points added by one brush dab. Many points in one place shrink the "
                         "epistemic uncertainty there."));
  countLabel->setToolTip(m_count->toolTip());
  connect(m_radius, &QSpinBox::valueChanged, this, [this] { emit settingsChanged(); });
  connect(m_count, &QSpinBox::valueChanged, this, [this] { emit settingsChanged(); });

  m_classLabel = new QLabel(tr("class"), this);
  m_classLabel->setToolTip(tr("The class of the points you add."));
  m_classLayout = new QHBoxLayout;
  m_classLayout->setSpacing(0);
  m_classGroup = new QButtonGroup(this);
  m_classGroup->setExclusive(true);
  connect(m_classGroup, &QButtonGroup::idToggled, this, [this] { emit settingsChanged(); });

  m_undoAction = undo->createUndoAction(this, tr("Undo"));
  m_undoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
  m_undoAction->setToolTip(tr("Undo the last edit of the data (Ctrl+Z)."));
  m_redoAction = undo->createRedoAction(this, tr("Redo"));
  m_redoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
  m_redoAction->setToolTip(tr("Redo the edit just undone (Ctrl+Shift+Z)."));
  auto* undoButton = new QToolButton(this);
  undoButton->setDefaultAction(m_undoAction);
  auto* redoButton = new QToolButton(this);
  redoButton->setDefaultAction(m_redoAction);
  for (QToolButton* b : {undoButton, redoButton}) b->setAutoRaise(true);
  // The stack's actions rename themselves ("Undo Add point"); the buttons stay short.
  connect(m_undoAction, &QAction::changed, undoButton, [undoButton] { undoButton->setText(tr("Undo")); });
  connect(m_redoAction, &QAction::changed, redoButton, [redoButton] { redoButton->setText(tr("Redo")); });
  m_clear = toolButton(this, tr("Clear"),
                       tr("Remove every training point (undoable); paint new ones from scratch. "
                          "Training waits until there is a point."));
  connect(m_clear, &QToolButton::clicked, this, &PaintPalette::clearRequested);
  m_export = toolButton(this, tr("Export CSV..."),
                        tr("Save the training data as they are now (x0.., y) as CSV, the same "
                           "columns as data.csv; the Data panel's Import CSV reads it back."));
  connect(m_export, &QToolButton::clicked, this, &PaintPalette::exportRequested);

  m_note = new QLabel(this);
  m_note->setObjectName("paintNote");
  m_note->setToolTip(tr("What the run trains on now, counted from the start of the run."));

  layout->addWidget(m_point);
  layout->addWidget(m_brush);
  layout->addWidget(radiusLabel);
  layout->addWidget(m_radius);
  layout->addWidget(countLabel);
  layout->addWidget(m_count);
  layout->addWidget(m_classLabel);
  layout->addLayout(m_classLayout);
  layout->addWidget(undoButton);
  layout->addWidget(redoButton);
  layout->addWidget(m_clear);
  layout->addWidget(m_export);
  layout->addWidget(m_note, 1);
  m_paintOnly = {m_point, m_brush, radiusLabel, m_radius, countLabel, m_count};
  connect(m_paint, &QAction::toggled, this, [this](bool on) {
    for (QWidget* w : m_paintOnly) w->setVisible(on);
    const bool classes = !m_classButtons.empty();
    m_classLabel->setVisible(on && classes);
    for (QToolButton* b : m_classButtons) b->setVisible(on);
    emit settingsChanged();
  });
  for (QWidget* w : m_paintOnly) w->setVisible(false);
  m_classLabel->setVisible(false);
}

void PaintPalette::setClasses(int classes) {
  if (static_cast<int>(m_classButtons.size()) == (classes >= 2 ? classes : 0)) return;
  const int previous = m_classGroup->checkedId();
  for (QToolButton* b : m_classButtons) {
    m_classGroup->removeButton(b);
    delete b;
  }
  m_classButtons.clear();
  for (int k = 0; classes >= 2 && k < classes; ++k) {
    auto* b = new QToolButton(this);
    b->setIcon(swatch(palette::classColor(k, classes)));
    b->setText(QString::number(k));
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setCheckable(true);
    b->setAutoRaise(true);
    b->setToolTip(tr("Paint points of class %1").arg(k));
    m_classGroup->addButton(b, k);
    m_classLayout->addWidget(b);
    b->setVisible(m_paint->isChecked());
    m_classButtons.push_back(b);
  }
  m_classLabel->setVisible(m_paint->isChecked() && !m_classButtons.empty());
  if (!m_classButtons.empty())
    m_classButtons[static_cast<size_t>(previous >= 0 && previous < classes ? previous : 0)]
        ->setChecked(true);
}

void PaintPalette::setLabel(int label) {
  if (label >= 0 && label < static_cast<int>(m_classButtons.size()))
    m_classButtons[static_cast<size_t>(label)]->setChecked(true);
}

PaintSettings PaintPalette::settings() const {
  PaintSettings s;
  s.enabled = m_paint->isChecked();
  s.mode = m_brush->isChecked() ? PaintMode::Brush : PaintMode::Point;
  s.label = std::max(0, m_classGroup->checkedId());
  s.radius = m_radius->value();
  s.count = m_count->value();
  return s;
}

void PaintPalette::setNote(const QString& text, bool emphasise) {
  m_note->setText(text);
  m_note->setStyleSheet(emphasise ? QStringLiteral("QLabel { color: #a04000; font-weight: bold; }")
                                  : QString());
}

QString PaintPalette::note() const { return m_note->text(); }

}  // namespace bayeslab::ui
