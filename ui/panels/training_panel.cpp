#include "ui/panels/training_panel.h"

#include <QLabel>
#include <QVBoxLayout>
#include <cmath>

#include "engine/methods/method.h"
#include "engine/optim/optimizer.h"
#include "ui/panels/option_form.h"

namespace bayeslab::ui {

namespace {

// The training options described like any other options, so the same form
// builder shows them with tooltips, ranges and the live flag.
OptionSpecs trainingSpecs() {
  const TrainingOptions d;
  OptionSpecs specs = {
      OptionSpec::integer("steps", "Steps",
                          "Number of optimisation steps (minibatches) in the run.",
                          static_cast<int>(d.steps), 0, 100'000'000),
      OptionSpec::integer("batch_size", "Batch size",
                          "Examples per minibatch (B). Smaller batches give noisier gradients.",
                          static_cast<int>(d.batchSize), 1, 1'000'000),
      OptionSpec::choice("optimizer", "Optimizer", "The gradient optimiser.", optimizerNames(),
                         d.optimizer),
      OptionSpec::real("learning_rate", "Learning rate",
                       "Step size of the optimiser. Too large and the run diverges; too small "
                       "and it crawls.",
                       d.learningRate, 1e-7, 1e3, true),
      OptionSpec::integer("mc_samples", "MC samples",
                          "Weight samples per step for the Monte Carlo estimate of the expected "
                          "log-likelihood: more samples, less gradient noise, more time.",
                          d.mcSamples, 1, 1024),
      OptionSpec::real("kl_weight", "KL weight \u03b2",
                       "Multiplies the KL term in the objective: 1 is the ELBO; below 1 tempers "
                       "the prior (a 'cold' posterior), 0 ignores it.",
                       d.klWeight, 0.0, 1e6, true),
      OptionSpec::integer("kl_warmup_steps", "KL warm-up steps",
                          "KL annealing: the KL weight ramps linearly from 0 to β over this "
                          "many steps (0: no warm-up). Lets the data term shape the network "
                          "before the prior pulls on it.",
                          static_cast<int>(d.klWarmupSteps), 0, 100'000'000),
      OptionSpec::real("seed", "Training seed",
                       "Seed of the initialisation, the minibatch order and the weight noise. "
                       "The same seed reproduces the run exactly.",
                       static_cast<double>(d.seed), 0, kMaxSeed),
      OptionSpec::integer("threads", "Threads",
                          "Worker threads for one step. Results are identical for any count.",
                          d.threads, 1, 256),
  };
  specs[3].logScale = true;
  specs[7].kind = OptionKind::Integer;
  return specs;
}

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : SessionPanel(tr("Training"), parent) {
  m_form = new OptionForm(this);
  m_form->setSpecs(trainingSpecs());
  m_note = new QLabel(this);
  m_note->setObjectName("klScalingNote");
  m_note->setWordWrap(true);
  m_note->setTextFormat(Qt::RichText);
  // A palette, not a style sheet, so the presentation-mode font still reaches it.
  m_note->setFrameShape(QFrame::StyledPanel);
  m_note->setMargin(5);
  m_note->setAutoFillBackground(true);
  QPalette palette = m_note->palette();
  palette.setColor(QPalette::Window, QColor(242, 246, 250));
  m_note->setPalette(palette);
  m_note->setToolTip(tr("The scaling every BNN library has to choose; this is the one used here."));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_form);
  layout->addWidget(m_note);
  connect(m_form, &OptionForm::valueChanged, this, [this](const QString& key) {
    if (key == "batch_size" || key == "kl_warmup_steps" || key == "kl_weight") updateNote();
    emit edited();
  });
  updateNote();
}

void TrainingPanel::setSession(const SessionConfig& config) {
  const TrainingOptions& t = config.training;
  OptionValues v;
  v.set("steps", static_cast<double>(t.steps));
  v.set("batch_size", static_cast<double>(t.batchSize));
  v.set("optimizer", t.optimizer);
  v.set("learning_rate", t.learningRate);
  v.set("mc_samples", static_cast<double>(t.mcSamples));
  v.set("kl_weight", t.klWeight);
  v.set("kl_warmup_steps", static_cast<double>(t.klWarmupSteps));
  v.set("seed", static_cast<double>(t.seed));
  v.set("threads", static_cast<double>(t.threads));
  m_form->setValues(v);
  updateNote();
}

void TrainingPanel::writeTo(SessionConfig& config) const {
  const OptionValues v = m_form->values();
  TrainingOptions& t = config.training;
  t.steps = static_cast<Index>(v.number("steps"));
  t.batchSize = static_cast<Index>(v.number("batch_size"));
  t.optimizer = v.text("optimizer");
  t.learningRate = v.number("learning_rate");
  t.mcSamples = v.integer("mc_samples");
  t.klWeight = v.number("kl_weight");
  t.klWarmupSteps = static_cast<Index>(v.number("kl_warmup_steps"));
  t.seed = static_cast<std::uint64_t>(v.number("seed"));
  t.threads = v.integer("threads");
}

void TrainingPanel::setMethodTraits(const MethodTraits& traits) {
  m_traits = traits;
  updateNote();
  const QString why = tr("The current method does not use this setting.");
  m_form->setRowEnabled("mc_samples", traits.usesMcSamples, why);
  m_form->setRowEnabled("kl_weight", traits.usesKlWeight, why);
  m_form->setRowEnabled("kl_warmup_steps", traits.usesKlWeight, why);
  m_form->setRowEnabled("optimizer", traits.usesOptimizer, why);
  m_form->setRowEnabled("learning_rate", traits.usesOptimizer, why);
}

void TrainingPanel::setDataSize(Index trainingPoints) {
  m_trainingPoints = trainingPoints;
  updateNote();
}

void TrainingPanel::updateNote() {
  const OptionValues v = m_form->values();
  QString text;
  if (m_traits.usesKlWeight) {
    text =
        tr("<b>KL scaling per minibatch.</b> Each step multiplies the minibatch "
           "log-likelihood by N/B (data set size / batch size) and adds the <i>whole</i> "
           "KL(q&#8214;p) once, times &beta;. Over an epoch of M = N/B minibatches this equals "
           "adding KL/M per minibatch (Blundell et al. 2015): every step is an unbiased "
           "estimate of the full-data ELBO.");
  } else {
    text =
        tr("<b>Prior scaling per minibatch.</b> Each step multiplies the minibatch "
           "log-likelihood by N/B (data set size / batch size) and adds the whole prior term "
           "once, so every step estimates the full-data objective.");
  }
  const Index batch = static_cast<Index>(v.number("batch_size"));
  if (m_trainingPoints > 0 && batch > 0) {
    const Index b = std::min(batch, m_trainingPoints);
    const double ratio = static_cast<double>(m_trainingPoints) / static_cast<double>(b);
    text += tr(" Here N = %1, B = %2: the log-likelihood is scaled by %3, M = %4.")
                .arg(m_trainingPoints)
                .arg(b)
                .arg(ratio, 0, 'g', 4)
                .arg(ratio, 0, 'g', 4);
  }
  const Index warmup = static_cast<Index>(v.number("kl_warmup_steps"));
  if (m_traits.usesKlWeight && warmup > 0)
    text += tr(" <b>Warm-up:</b> step t uses &beta;&nbsp;&middot;&nbsp;min(1, t/%1), so the KL "
               "weight ramps from 0 to %2 over the first %1 steps (plotted under the training "
               "curves).")
                .arg(warmup)
                .arg(v.number("kl_weight"), 0, 'g', 4);
  m_note->setText(text);
}

}  // namespace bayeslab::ui
