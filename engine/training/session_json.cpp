#include "engine/training/session_json.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/data/painted_points.h"
#include "engine/io/atomic_file.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string file) : m_file(std::move(file)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw InputError(m_file, field, message);
  }

  static const char* typeName(const json& v) {
    if (v.is_boolean()) return "a boolean";
    if (v.is_number()) return "a number";
    if (v.is_string()) return "a string";
    if (v.is_array()) return "an array";
    if (v.is_object()) return "an object";
    return "null";
  }

  const json& object(const json& v, const std::string& field) const {
    if (!v.is_object()) fail(field, std::string("expected an object, got ") + typeName(v));
    return v;
  }
  double number(const json& v, const std::string& field) const {
    if (!v.is_number()) fail(field, std::string("expected a number, got ") + typeName(v));
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(field, "must be finite");
    return x;
  }
  long long integer(const json& v, const std::string& field, long long lo, long long hi) const {
    const double x = number(v, field);
    if (x != std::floor(x)) fail(field, "expected a whole number");
    if (x < static_cast<double>(lo) || x > static_cast<double>(hi))
      fail(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<long long>(x);
  }
  std::uint64_t seed(const json& v, const std::string& field) const {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer()) {
      if (v.get<long long>() < 0) fail(field, "a seed must be >= 0");
      return static_cast<std::uint64_t>(v.get<long long>());
    }
    return static_cast<std::uint64_t>(integer(v, field, 0, (1LL << 53)));
  }
  bool boolean(const json& v, const std::string& field) const {
    if (!v.is_boolean()) fail(field, std::string("expected true or false, got ") + typeName(v));
    return v.get<bool>();
  }
  std::string string(const json& v, const std::string& field) const {
    if (!v.is_string()) fail(field, std::string("expected a string, got ") + typeName(v));
    return v.get<std::string>();
  }
  // Method, prior and data-set options: numbers, booleans and strings.
  void option(const json& v, const std::string& key, const std::string& field,
              OptionValues& out) const {
    if (v.is_boolean())
      out.set(key, v.get<bool>() ? 1.0 : 0.0);
    else if (v.is_number())
      out.set(key, number(v, field));
    else if (v.is_string())
      out.set(key, v.get<std::string>());
    else
      fail(field, std::string("expected a number, boolean or string, got ") + typeName(v));
  }

 private:
  std::string m_file;
};

// Painted training points (painted_points.h): an array of rows of numbers, all
// of one length; what the numbers mean is checked against the data set when the
// data are built.
PointList readPoints(const Reader& r, const json& v, const std::string& field) {
  if (!v.is_array())
    r.fail(field, std::string("expected an array of points, got ") + Reader::typeName(v));
  PointList points;
  points.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    const json& row = v[i];
    if (!row.is_array() || row.empty())
      r.fail(f, std::string("expected a point [inputs..., target], got ") + Reader::typeName(row));
    std::vector<double>& p = points.emplace_back();
    for (size_t k = 0; k < row.size(); ++k) p.push_back(r.number(row[k], f));
    if (p.size() != points.front().size())
      r.fail(f, "every point needs " + std::to_string(points.front().size()) +
                    " numbers, as the first");
  }
  if (points.empty()) r.fail(field, "needs at least one point");
  return points;
}

void readDataset(const Reader& r, const json& j, DatasetConfig& d) {
  r.object(j, "dataset");
  if (j.contains("name")) d.name = r.string(j["name"], "dataset.name");
  // Sizes a file does not give are the data set's own defaults (4000 digits for mnist).
  if (const DatasetDescriptor* descriptor = findDataset(d.name)) {
    d.nTrain = descriptor->defaultTrainSize;
    d.nTest = descriptor->defaultTestSize;
  }
  for (const auto& [key, v] : j.items()) {
    const std::string f = "dataset." + key;
    if (key == "name") continue;
    if (key == "n_train")
      d.nTrain = r.integer(v, f, 1, 10'000'000);
    else if (key == "n_test")
      d.nTest = r.integer(v, f, 0, 10'000'000);
    else if (key == "noise")
      d.noise = r.number(v, f);
    else if (key == "seed")
      d.seed = r.seed(v, f);
    else if (key == "points")
      d.points = readPoints(r, v, f);
    else
      r.option(v, key, f, d.options);
  }
}

void readModel(const Reader& r, const json& j, ModelConfig& m) {
  r.object(j, "model");
  for (const auto& [key, v] : j.items()) {
    const std::string f = "model." + key;
    if (key == "hidden") {
      if (!v.is_array())
        r.fail(f, std::string("expected an array of layer widths, got ") + Reader::typeName(v));
      m.hidden.clear();
      for (size_t i = 0; i < v.size(); ++i)
        m.hidden.push_back(
            static_cast<int>(r.integer(v[i], f + "[" + std::to_string(i) + "]", 1, 8192)));
    } else if (key == "activation") {
      m.activation = r.string(v, f);
    } else {
      r.fail(f, "unknown key (known: hidden, activation)");
    }
  }
}

void readLikelihood(const Reader& r, const json& j, LikelihoodConfig& l) {
  r.object(j, "likelihood");
  for (const auto& [key, v] : j.items()) {
    const std::string f = "likelihood." + key;
    if (key == "name")
      l.name = r.string(v, f);
    else if (key == "noise_std")
      l.noiseStd = r.number(v, f);
    else if (key == "learn_noise")
      l.learnNoise = r.boolean(v, f);
    else
      r.fail(f, "unknown key (known: name, noise_std, learn_noise)");
  }
}

void readNamedOptions(const Reader& r, const json& j, const std::string& section, std::string& name,
                      OptionValues& options) {
  r.object(j, section);
  for (const auto& [key, v] : j.items()) {
    const std::string f = section + "." + key;
    if (key == "name")
      name = r.string(v, f);
    else
      r.option(v, key, f, options);
  }
}

void readTraining(const Reader& r, const json& j, TrainingOptions& t) {
  r.object(j, "training");
  for (const auto& [key, v] : j.items()) {
    const std::string f = "training." + key;
    if (key == "steps")
      t.steps = r.integer(v, f, 0, 100'000'000);
    else if (key == "batch_size")
      t.batchSize = r.integer(v, f, 1, 1'000'000);
    else if (key == "optimizer")
      t.optimizer = r.string(v, f);
    else if (key == "learning_rate")
      t.learningRate = r.number(v, f);
    else if (key == "mc_samples")
      t.mcSamples = static_cast<int>(r.integer(v, f, 1, 1024));
    else if (key == "kl_weight")
      t.klWeight = r.number(v, f);
    else if (key == "seed")
      t.seed = r.seed(v, f);
    else if (key == "threads")
      t.threads = static_cast<int>(r.integer(v, f, 1, 256));
    else if (key == "eval_every")
      t.evalEvery = r.integer(v, f, 0, 100'000'000);
    else if (key == "eval_samples")
      t.evalSamples = static_cast<int>(r.integer(v, f, 1, 10000));
    else if (key == "kl_warmup_steps")
      t.klWarmupSteps = r.integer(v, f, 0, 100'000'000);
    else
      r.fail(f,
             "unknown key (known: steps, batch_size, optimizer, learning_rate, mc_samples, "
             "kl_weight, kl_warmup_steps, seed, threads, eval_every, eval_samples)");
  }
}

void readSequential(const Reader& r, const json& j, SequentialConfig& q) {
  r.object(j, "sequential");
  for (const auto& [key, v] : j.items()) {
    const std::string f = "sequential." + key;
    if (key == "parts")
      q.parts = static_cast<int>(r.integer(v, f, 1, 50));
    else if (key == "split")
      q.split = r.string(v, f);
    else
      r.fail(f, "unknown key (known: parts, split)");
  }
}

json optionsJson(const OptionSpecs& specs, const OptionValues& values) {
  json j = json::object();
  const OptionValues all = withDefaults(specs, values);
  for (const auto& [key, value] : all.values()) {
    const OptionSpec* spec = findSpec(specs, key);
    if (const auto* s = std::get_if<std::string>(&value)) {
      j[key] = *s;
    } else {
      const double x = std::get<double>(value);
      if (spec && spec->kind == OptionKind::Boolean)
        j[key] = x != 0.0;
      else if (spec && spec->kind == OptionKind::Integer)
        j[key] = static_cast<long long>(x);
      else
        j[key] = x;
    }
  }
  return j;
}

}  // namespace

SessionConfig parseSessionJson(const std::string& text, const std::string& fileName) {
  const Reader r(fileName);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    // Turn the byte offset into a line and column.
    const size_t byte = std::min(e.byte, text.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i + 1 < byte; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    const auto pos = what.find("syntax error");
    if (pos != std::string::npos) what = what.substr(pos);
    r.fail("", "invalid JSON at line " + std::to_string(line) + ", column " +
                   std::to_string(column) + ": " + what);
  } catch (const json::exception& e) {
    // Not a syntax error but still bad input: a number too large for a double
    // ("1e400", out_of_range.406).
    std::string what = e.what();
    const auto pos = what.find("] ");
    if (pos != std::string::npos) what = what.substr(pos + 2);
    r.fail("", "invalid JSON: " + what);
  }
  if (!root.is_object()) r.fail("", "a session file must hold a JSON object");

  SessionConfig c;
  for (const auto& [key, v] : root.items()) {
    if (key == "dataset")
      readDataset(r, v, c.dataset);
    else if (key == "model")
      readModel(r, v, c.model);
    else if (key == "likelihood")
      readLikelihood(r, v, c.likelihood);
    else if (key == "method")
      readNamedOptions(r, v, "method", c.method.name, c.method.options);
    else if (key == "prior")
      readNamedOptions(r, v, "prior", c.prior.name, c.prior.options);
    else if (key == "training")
      readTraining(r, v, c.training);
    else if (key == "sequential")
      readSequential(r, v, c.sequential);
    else if (key == "format" || key == "version" || key == "comment")
      continue;
    else
      r.fail(
          key,
          "unknown key (known: dataset, model, likelihood, method, prior, training, sequential)");
  }
  if (auto error = c.validate()) r.fail(error->field, error->message);
  return c;
}

SessionConfig loadSession(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "", "no such file");
  if (std::filesystem::file_size(path, ec) > (64u << 20))
    throw InputError(path, "", "file is larger than 64 MiB");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path, "", "cannot open file");
  std::ostringstream ss;
  ss << f.rdbuf();
  return parseSessionJson(ss.str(), path);
}

namespace {

// One painted point per line ("[0.25, 1.5]") instead of one number per line.
// The key is matched with its line break and indent (dataset's keys, at
// dump(2)'s second level): a JSON string cannot hold a raw line break, so a
// string value containing the text '"points": [' is never taken for it.
std::string compactPoints(const std::string& text) {
  const std::string key = "\n    \"points\": [";
  const size_t start = text.find(key);
  if (start == std::string::npos) return text;
  std::string out = text.substr(0, start + key.size());
  int depth = 1;
  bool inner = false;
  for (size_t i = start + key.size(); i < text.size(); ++i) {
    const char ch = text[i];
    if (depth == 0) {
      out += text.substr(i);
      break;
    }
    if (ch == '[') {
      ++depth;
      inner = depth == 2;
      out += ch;
    } else if (ch == ']') {
      --depth;
      inner = false;
      if (depth == 1) {
        while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
      }
      out += ch;
    } else if (inner && (ch == '\n' || ch == ' ')) {
      if (out.back() == ',') out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

std::string sessionToJson(const SessionConfig& c) {
  json j;
  j["format"] = "bayeslab-session";
  j["version"] = 1;
  json d = json::object();
  const DatasetDescriptor* dd = findDataset(c.dataset.name);
  d["name"] = c.dataset.name;
  d["n_train"] = c.dataset.nTrain;
  d["n_test"] = c.dataset.nTest;
  d["noise"] = c.dataset.noise.value_or(dd ? dd->defaultNoise : 0.0);
  d["seed"] = c.dataset.seed;
  if (dd) d.update(optionsJson(dd->options, c.dataset.options));
  if (c.dataset.points) d["points"] = *c.dataset.points;
  j["dataset"] = d;
  j["model"] = {{"hidden", c.model.hidden}, {"activation", c.model.activation}};
  j["likelihood"] = {{"name", c.likelihood.name},
                     {"noise_std", c.likelihood.noiseStd},
                     {"learn_noise", c.likelihood.learnNoise}};
  json m = json::object();
  m["name"] = c.method.name;
  if (const MethodDescriptor* md = findMethod(c.method.name))
    m.update(optionsJson(md->options, c.method.options));
  j["method"] = m;
  json p = json::object();
  p["name"] = c.prior.name;
  if (const PriorDescriptor* pd = findPrior(c.prior.name))
    p.update(optionsJson(pd->options, c.prior.options));
  j["prior"] = p;
  const TrainingOptions& t = c.training;
  j["training"] = {{"steps", t.steps},
                   {"batch_size", t.batchSize},
                   {"optimizer", t.optimizer},
                   {"learning_rate", t.learningRate},
                   {"mc_samples", t.mcSamples},
                   {"kl_weight", t.klWeight},
                   {"seed", t.seed},
                   {"threads", t.threads},
                   {"eval_every", t.evalEvery},
                   {"eval_samples", t.evalSamples},
                   {"kl_warmup_steps", t.klWarmupSteps}};
  j["sequential"] = {{"parts", c.sequential.parts}, {"split", c.sequential.split}};
  return compactPoints(j.dump(2)) + "\n";
}

void saveSession(const std::string& path, const SessionConfig& config) {
  writeFileAtomically(path, sessionToJson(config));
}

BAYESLAB_END_NAMESPACE
