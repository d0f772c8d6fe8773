// libFuzzer entry point for the CSV reader (engine/data/csv_dataset.h): the
// bytes are read as a CSV file with each task setting (auto, regression,
// classification). An accepted data set must be finite, have consistent shapes,
// and survive csvText() and a re-read with the same task unchanged.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/data/csv_dataset.h"
#include "tests/fuzz/fuzz_support.h"

using namespace bayeslab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (CsvTask task : {CsvTask::Auto, CsvTask::Regression, CsvTask::Classification}) {
    Dataset d;
    if (!fuzz::acceptsOrRejects([&] { d = parseCsvDataset(text, "fuzz.csv", task); })) continue;
    fuzz::check(d.size() > 0 && d.inputDim() > 0, "at least one row and one input column");
    fuzz::check(d.inputs.allFinite(), "finite inputs");
    if (d.task == Task::Regression) {
      fuzz::check(d.targets.rows() == 1 && d.targets.cols() == d.size() && d.targets.allFinite(),
                  "one finite target per row");
    } else {
      fuzz::check(d.labels.size() == d.size() && d.labels.minCoeff() >= 0 &&
                      d.labels.maxCoeff() < d.classes,
                  "labels in [0, classes)");
    }
    const CsvTask same = d.task == Task::Regression ? CsvTask::Regression : CsvTask::Classification;
    Dataset again;
    if (!fuzz::acceptsOrRejects([&] { again = parseCsvDataset(csvText(d), "saved.csv", same); }))
      fuzz::fail("csvText() of an accepted data set is rejected by the reader");
    fuzz::check(again.inputs == d.inputs, "inputs survive csvText() and a re-read");
    if (d.task == Task::Regression)
      fuzz::check(again.targets == d.targets, "targets survive csvText() and a re-read");
    else
      fuzz::check(again.labels == d.labels && again.classes == d.classes,
                  "labels survive csvText() and a re-read");
  }
  return 0;
}
