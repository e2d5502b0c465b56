#include "server/rpc/metrics.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace reciprocity {
namespace {

std::string FormatValue(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.9g", value);
}

std::string EscapeLabelValue(absl::string_view value) {
  return absl::StrReplaceAll(value,
                             {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

void AppendSampleText(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    absl::string_view value) {
  absl::StrAppend(&out, name);
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      absl::StrAppend(&out, i ? "," : "", labels[i].first, "=\"",
                      EscapeLabelValue(labels[i].second), "\"");
    }
    out += '}';
  }
  absl::StrAppend(&out, " ", value, "\n");
}

}  // namespace

const std::vector<double>& Metrics::LatencyBuckets() {
  static const std::vector<double> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

void Metrics::RecordRpc(absl::string_view method, absl::StatusCode code,
                        absl::Duration latency) {
  absl::MutexLock lock(&mu_);
  RpcStats& stats = rpcs_[std::string(method)];
  ++stats.calls_by_code[absl::StatusCodeToString(code)];
  stats.seconds.Add(absl::ToDoubleSeconds(latency));
}

void Metrics::AddCollector(Collector collector) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() const {
  std::string out;
  std::vector<Collector> collectors;
  {
    absl::MutexLock lock(&mu_);
    AppendMetricHeader(out, "reciprocity_rpc_requests_total", "counter",
                       "Finished RPCs by method and status code.");
    for (const auto& [method, stats] : rpcs_) {
      for (const auto& [code, calls] : stats.calls_by_code) {
        AppendSample(out, "reciprocity_rpc_requests_total",
                     {{"method", method}, {"code", code}},
                     static_cast<double>(calls));
      }
    }
    AppendMetricHeader(out, "reciprocity_rpc_duration_seconds", "histogram",
                       "Time from receiving an RPC to answering it.");
    for (const auto& [method, stats] : rpcs_) {
      AppendHistogram(out, "reciprocity_rpc_duration_seconds",
                      {{"method", method}}, stats.seconds);
    }
    collectors = collectors_;
  }
  // Collectors may read the database: run them without holding mu_.
  for (const Collector& collect : collectors) collect(out);
  return out;
}

void AppendMetricHeader(std::string& out, absl::string_view name,
                        absl::string_view type, absl::string_view help) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ",
                  type, "\n");
}

void AppendSample(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    double value) {
  AppendSampleText(out, name, labels, FormatValue(value));
}

void AppendIntegerSample(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    int64_t value) {
  AppendSampleText(out, name, labels, absl::StrCat(value));
}

void AppendHistogram(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    const Histogram& histogram) {
  const std::string bucket = absl::StrCat(name, "_bucket");
  auto with_le = labels;
  with_le.emplace_back("le", "");
  int64_t cumulative = 0;
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    cumulative += histogram.counts[i];
    with_le.back().second =
        i < histogram.bounds.size() ? FormatValue(histogram.bounds[i]) : "+Inf";
    AppendIntegerSample(out, bucket, with_le, cumulative);
  }
  AppendSample(out, absl::StrCat(name, "_sum"), labels, histogram.sum);
  AppendIntegerSample(out, absl::StrCat(name, "_count"), labels,
                      histogram.count);
}

}  // namespace reciprocity
