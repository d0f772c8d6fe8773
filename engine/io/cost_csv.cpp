#include "engine/io/cost_csv.h"

#include <cmath>
#include <sstream>

BAYESLAB_BEGIN_NAMESPACE

namespace {

void number(std::ostream& os, double x) {
  if (std::isfinite(x)) os << x;
}

void text(std::ostream& os, const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) {
    os << s;
    return;
  }
  os << '"';
  for (char c : s) {
    if (c == '"') os << '"';
    os << c;
  }
  os << '"';
}

}  // namespace

std::string costCsv(const CostMeasurement& m) {
  const bool regression = m.task == Task::Regression;
  std::ostringstream os;
  os.precision(8);
  os << "method,name,parameters,parameters_formula,formula_value,state_bytes,ms_per_step,"
        "ms_per_predictive_sample,test_log_likelihood,"
     << (regression ? "test_rmse" : "test_accuracy") << ",steps,note\n";
  for (const CostRow& r : m.rows) {
    text(os, r.method);
    os << ",";
    text(os, r.displayName);
    os << ",";
    if (r.ran) os << r.parameters;
    os << ",";
    text(os, r.formula);
    os << ",";
    if (r.formulaValue >= 0) os << r.formulaValue;
    os << ",";
    if (r.ran) os << r.stateBytes;
    os << ",";
    number(os, r.msPerStep);
    os << ",";
    number(os, r.msPerPredictiveSample);
    os << ",";
    number(os, r.testLogLikelihood);
    os << ",";
    number(os, regression ? r.testRmse : r.testAccuracy);
    os << ",";
    if (r.ran) os << r.steps;
    os << ",";
    text(os, r.note);
    os << "\n";
  }
  return os.str();
}

BAYESLAB_END_NAMESPACE
