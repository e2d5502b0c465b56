#include "client/report_table.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace reciprocity::client {
namespace {

std::string CsvCell(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// "12.50", "-3", "40%": right-aligned in tables. "2026-11" is not.
bool IsNumber(const std::string& cell) {
  const size_t start = !cell.empty() && cell[0] == '-' ? 1 : 0;
  return start < cell.size() &&
         cell.find_first_not_of("0123456789.%", start) == std::string::npos;
}

}  // namespace

std::string ToCsv(const Row& header, const std::vector<Row>& rows) {
  std::string out;
  auto add = [&](const Row& r) {
    std::vector<std::string> cells;
    for (const auto& c : r) cells.push_back(CsvCell(c));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\r\n");
  };
  add(header);
  for (const auto& r : rows) add(r);
  return out;
}

void PrintTable(std::ostream& out, const Row& header,
                const std::vector<Row>& rows) {
  std::vector<size_t> width(header.size());
  auto measure = [&](const Row& r) {
    for (size_t i = 0; i < r.size(); ++i)
      width[i] = std::max(width[i], r[i].size());
  };
  measure(header);
  for (const auto& r : rows) measure(r);
  auto print = [&](const Row& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      const bool numeric = IsNumber(r[i]);
      out << (i ? "  " : "")
          << (numeric ? std::string(width[i] - r[i].size(), ' ') + r[i]
                      : r[i] + std::string(width[i] - r[i].size(), ' '));
    }
    out << "\n";
  };
  print(header);
  for (const auto& r : rows) print(r);
}

bool WriteFile(const std::string& path, const std::string& content) {
  if (path == "-") {
    std::cout << content;
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) std::cerr << "recip: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

void Emit(Globals& g, const std::string& csv, const std::string& title,
          const Row& header, const std::vector<Row>& rows) {
  if (!csv.empty()) {
    if (!WriteFile(csv, ToCsv(header, rows))) g.exit_code = kExitFailure;
    return;
  }
  std::cout << title << "\n";
  PrintTable(std::cout, header, rows);
}

std::string AreaName(const std::string& area) {
  if (area.empty() || absl::StartsWith(area, "serviceAreas/")) return area;
  return absl::StrCat("serviceAreas/", area);
}

}  // namespace reciprocity::client
