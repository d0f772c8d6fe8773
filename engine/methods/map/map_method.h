#pragma once
// Maximum a posteriori (or maximum likelihood) training of a deterministic network:
//   minimise  -(N / B) sum_{i in batch} log p(y_i | x_i, w)  -  log p(w),
// where the prior term is dropped for MLE. With a Gaussian prior N(0, s^2) the
// prior term is L2 weight decay. The baseline every Bayesian method is compared to.
#include "engine/methods/common/batch_evaluator.h"
#include "engine/methods/common/gradient_method.h"

BAYESLAB_BEGIN_NAMESPACE

class MapMethod final : public GradientMethod {
 public:
  explicit MapMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;

 private:
  BatchEvaluator m_evaluator;
  std::shared_ptr<const Prior> m_prior;
  bool m_usePrior;
  Index m_weightCount;
};

MethodDescriptor mapMethodDescriptor();

BAYESLAB_END_NAMESPACE
