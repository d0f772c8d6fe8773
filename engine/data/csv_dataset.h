#pragma once
// Data sets from CSV files: one example per line, input columns first and the
// target last (a header line such as "x0,x1,y" is optional; '#' starts a comment).
// Classification targets are class indices 0..K-1.

#include <functional>
#include <string>
#include <string_view>

#include "engine/data/dataset_registry.h"

BAYESLAB_BEGIN_NAMESPACE

enum class CsvTask { Auto, Regression, Classification };

// Reads a whole file. Auto treats the file as classification when every target
// is a whole number in [0, 100) and there are at most 20 distinct values.
// Throws InputError naming the file, the line and the column on bad input.
Dataset readCsvDataset(const std::string& path, CsvTask task = CsvTask::Auto);
Dataset parseCsvDataset(const std::string& text, const std::string& fileName,
                        CsvTask task = CsvTask::Auto);

// Writes "x0,..,y" with a header; the format readCsvDataset reads.
std::string csvText(const Dataset& data);
// The same text handed to `sink` in pieces of about 1 MB (a large data set's
// text, e.g. 60,000 images at 784 columns, is never held whole).
void csvText(const Dataset& data, const std::function<void(std::string_view)>& sink);

DatasetDescriptor csvDataset();

BAYESLAB_END_NAMESPACE
