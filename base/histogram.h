// A histogram of observed values with fixed bucket bounds: what a Prometheus
// histogram exposes. Shared by the RPC metrics and the store's write-path
// statistics. Not thread-safe: its owner guards it.
#ifndef RECIPROCITY_BASE_HISTOGRAM_H_
#define RECIPROCITY_BASE_HISTOGRAM_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace reciprocity {

struct Histogram {
  Histogram() = default;
  // `bounds` ascending; values above the last fall in an implied +Inf bucket.
  explicit Histogram(std::vector<double> upper_bounds)
      : bounds(std::move(upper_bounds)), counts(bounds.size() + 1, 0) {}

  void Add(double value) {
    size_t i = 0;
    while (i < bounds.size() && value > bounds[i]) ++i;
    ++counts[i];
    sum += value;
    ++count;
  }

  std::vector<double> bounds;
  // One per bound, then one for values above every bound; not cumulative.
  std::vector<int64_t> counts;
  double sum = 0;
  int64_t count = 0;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_BASE_HISTOGRAM_H_
