#include "engine/data/csv_dataset.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "engine/core/errors.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

constexpr std::uintmax_t kMaxCsvBytes = std::uintmax_t(2) << 30;

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

std::vector<std::string> splitFields(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream is(line);
  while (std::getline(is, field, ',')) out.push_back(trim(field));
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

bool parseNumber(const std::string& s, double& value) {
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') {
    ++first;
    if (first == s.data() + s.size() || *first == '-' || *first == '+') return false;  // "+-1"
  }
  const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), value);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::string largestText() {
  std::ostringstream os;
  os.precision(2);
  os << static_cast<double>(std::numeric_limits<Real>::max());
  return os.str();
}

}  // namespace

Dataset parseCsvDataset(const std::string& text, const std::string& fileName, CsvTask task) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::vector<double>> rows;
  size_t columns = 0;
  int lineNo = 0;
  bool headerSeen = false;
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const auto fields = splitFields(t);
    std::vector<double> values(fields.size());
    bool numeric = true;
    for (size_t c = 0; c < fields.size() && numeric; ++c)
      numeric = parseNumber(fields[c], values[c]);
    if (!numeric && rows.empty() && !headerSeen) {  // a header line
      headerSeen = true;
      columns = fields.size();
      continue;
    }
    if (columns == 0) columns = fields.size();
    const std::string where = "line " + std::to_string(lineNo);
    if (fields.size() != columns)
      throw InputError(fileName, where,
                       "expected " + std::to_string(columns) + " columns, found " +
                           std::to_string(fields.size()));
    for (size_t c = 0; c < fields.size(); ++c) {
      if (!parseNumber(fields[c], values[c]))
        throw InputError(fileName, where + ", column " + std::to_string(c + 1),
                         "'" + fields[c] + "' is not a number");
      if (!std::isfinite(values[c]))
        throw InputError(fileName, where + ", column " + std::to_string(c + 1),
                         "value must be finite");
      // Stored as Real (float in the app): a larger magnitude would become inf.
      if (std::abs(values[c]) > static_cast<double>(std::numeric_limits<Real>::max()))
        throw InputError(
            fileName, where + ", column " + std::to_string(c + 1),
            "'" + fields[c] + "' is too large (the largest magnitude is " + largestText() + ")");
    }
    rows.push_back(std::move(values));
  }
  if (columns < 2)
    throw InputError(fileName, "", "need at least one input column and a target column");
  if (rows.empty()) throw InputError(fileName, "", "no data rows");

  const Index n = static_cast<Index>(rows.size());
  const Index d = static_cast<Index>(columns) - 1;
  if (task == CsvTask::Auto) {
    std::set<double> distinct;
    bool whole = true;
    for (const auto& r : rows) {
      const double y = r.back();
      whole = whole && y == std::floor(y) && y >= 0 && y < 100;
      distinct.insert(y);
    }
    task = (whole && distinct.size() <= 20) ? CsvTask::Classification : CsvTask::Regression;
  }
  Dataset data;
  data.inputs.resize(d, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) data.inputs(j, i) = static_cast<Real>(rows[i][j]);
  if (task == CsvTask::Regression) {
    data.task = Task::Regression;
    data.targets.resize(1, n);
    for (Index i = 0; i < n; ++i) data.targets(0, i) = static_cast<Real>(rows[i].back());
  } else {
    data.task = Task::Classification;
    data.labels.resize(n);
    int maxLabel = 0;
    for (Index i = 0; i < n; ++i) {
      const double y = rows[i].back();
      if (y != std::floor(y) || y < 0 || y >= 1000)
        throw InputError(fileName, "row " + std::to_string(i + 1) + ", target",
                         "class labels must be whole numbers in [0, 1000)");
      data.labels(i) = static_cast<int>(y);
      maxLabel = std::max(maxLabel, data.labels(i));
    }
    data.classes = std::max(2, maxLabel + 1);
  }
  return data;
}

Dataset readCsvDataset(const std::string& path, CsvTask task) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path, "", "cannot read file (" + ec.message() + ")");
  if (size > kMaxCsvBytes) throw InputError(path, "", "file is larger than 2 GiB");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path, "", "cannot open file");
  std::ostringstream ss;
  ss << f.rdbuf();
  return parseCsvDataset(ss.str(), path, task);
}

void csvText(const Dataset& data, const std::function<void(std::string_view)>& sink) {
  constexpr std::streamoff kPiece = 1 << 20;
  std::ostringstream os;
  os.precision(9);
  for (Index j = 0; j < data.inputDim(); ++j) os << "x" << j << ",";
  os << "y\n";
  for (Index i = 0; i < data.size(); ++i) {
    for (Index j = 0; j < data.inputDim(); ++j) os << data.inputs(j, i) << ",";
    if (data.task == Task::Regression)
      os << data.targets(0, i) << "\n";
    else
      os << data.labels(i) << "\n";
    if (os.tellp() >= kPiece) {
      sink(os.view());
      os.str(std::string());
    }
  }
  if (os.tellp() > 0) sink(os.view());
}

std::string csvText(const Dataset& data) {
  std::string text;
  csvText(data, [&](std::string_view piece) { text.append(piece); });
  return text;
}

DatasetDescriptor csvDataset() {
  DatasetDescriptor d;
  d.id = "csv";
  d.displayName = "CSV file";
  d.description =
      "Your own data: a CSV file with the inputs in the first columns and the target in the last "
      "(class indices 0..K-1 for classification). A random part is held out as the test set.";
  d.task = Task::Regression;  // decided by the file
  d.usesNoise = false;
  d.options = {OptionSpec::text("path", "File", "Path of the CSV file."),
               OptionSpec::choice("task", "Task",
                                  "Regression or classification; 'auto' decides from the "
                                  "target column.",
                                  {"auto", "regression", "classification"}, "auto"),
               OptionSpec::real("test_fraction", "Test fraction",
                                "Share of the rows held out for testing.", 0.2, 0.0, 0.9)};
  d.load = [](const DatasetConfig& config) {
    const std::string& path = config.options.text("path");
    if (path.empty()) throw InputError("", "dataset.path", "a CSV data set needs a file path");
    const std::string& t = config.options.text("task");
    const CsvTask task = t == "regression"       ? CsvTask::Regression
                         : t == "classification" ? CsvTask::Classification
                                                 : CsvTask::Auto;
    Dataset all = readCsvDataset(path, task);
    std::vector<Index> order(static_cast<size_t>(all.size()));
    for (Index i = 0; i < all.size(); ++i) order[static_cast<size_t>(i)] = i;
    RandomStream rng = RandomStream(config.seed).derive("csv-split");
    rng.shuffle(order.begin(), order.end());
    const Index nTest = static_cast<Index>(
        std::floor(config.options.number("test_fraction") * static_cast<double>(all.size())));
    std::vector<Index> testIdx(order.begin(), order.begin() + nTest);
    std::vector<Index> trainIdx(order.begin() + nTest, order.end());
    if (trainIdx.empty())
      throw InputError(path, "dataset.test_fraction", "no rows left for training");
    DataSplit split;
    split.name = "csv";
    split.train = all.subset(trainIdx);
    split.test = all.subset(testIdx);
    return split;
  };
  return d;
}

BAYESLAB_END_NAMESPACE
