#include "server/domain/invoice_csv.h"

#include <array>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "policy/dates.h"
#include "policy/money_text.h"

namespace reciprocity {
namespace {

constexpr size_t kMaxSerialBytes = 64;

struct Field {
  int column = 0;  // 1-based byte position where the field starts
  std::string text;
};

absl::Status Refuse(int line, int column, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("invoice_csv: ", line, ":", column, ": ", reason));
}

// Splits one line into fields, unquoting "..." fields ("" is a quote).
absl::StatusOr<std::vector<Field>> SplitLine(absl::string_view text, int line) {
  std::vector<Field> fields;
  size_t i = 0;
  while (true) {
    Field field;
    field.column = static_cast<int>(i) + 1;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field.text += text[i++];
      }
      if (!closed) {
        return Refuse(line, field.column,
                      "a quoted field must end with a quote on the same line");
      }
      if (i < text.size() && text[i] != ',') {
        return Refuse(line, static_cast<int>(i) + 1,
                      "after a closing quote comes a comma or the line's end");
      }
    } else {
      while (i < text.size() && text[i] != ',') {
        if (text[i] == '"') {
          return Refuse(line, static_cast<int>(i) + 1,
                        "a quote inside a field: quote the whole field");
        }
        field.text += text[i++];
      }
    }
    fields.push_back(std::move(field));
    if (i >= text.size()) break;
    ++i;  // the comma
  }
  return fields;
}

enum Column { kSerial, kValue, kDate };
constexpr std::array<absl::string_view, 3> kColumnNames = {"serial", "value",
                                                           "date"};

// Which field holds each column, from the header.
absl::StatusOr<std::array<size_t, 3>> ReadHeader(
    const std::vector<Field>& header, int line) {
  std::array<std::optional<size_t>, 3> at;
  for (size_t f = 0; f < header.size(); ++f) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[f].text));
    size_t c = 0;
    while (c < kColumnNames.size() && kColumnNames[c] != name) ++c;
    if (c == kColumnNames.size()) {
      return Refuse(line, header[f].column,
                    absl::StrCat("unknown column \"", name,
                                 "\": the header is serial,value,date"));
    }
    if (at[c].has_value()) {
      return Refuse(line, header[f].column,
                    absl::StrCat("column \"", name, "\" is named twice"));
    }
    at[c] = f;
  }
  std::array<size_t, 3> out{};
  for (size_t c = 0; c < at.size(); ++c) {
    if (!at[c].has_value()) {
      return Refuse(line, 1,
                    absl::StrCat("the header has no \"", kColumnNames[c],
                                 "\" column: write serial,value,date"));
    }
    out[c] = *at[c];
  }
  return out;
}

bool IsPrintableAscii(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isprint(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<InvoiceRow> ReadRow(const std::vector<Field>& fields,
                                   const std::array<size_t, 3>& at,
                                   size_t width, int line,
                                   absl::string_view text) {
  if (fields.size() != width) {
    const int column = fields.size() > width
                           ? fields[width].column
                           : static_cast<int>(text.size()) + 1;
    return Refuse(
        line, column,
        absl::StrCat("expected ", width, " fields, found ", fields.size(),
                     " (a comma in an amount? write 1234.50)"));
  }
  InvoiceRow row;
  row.line = line;
  const Field& serial = fields[at[kSerial]];
  row.serial = std::string(absl::StripAsciiWhitespace(serial.text));
  if (row.serial.empty() || row.serial.size() > kMaxSerialBytes ||
      !IsPrintableAscii(row.serial)) {
    return Refuse(line, serial.column,
                  "serial: 1 to 64 printable characters, as on the voucher");
  }
  const Field& value = fields[at[kValue]];
  absl::StatusOr<int64_t> pence = policy::ParsePounds(value.text);
  if (!pence.ok()) {
    return Refuse(line, value.column,
                  absl::StrCat("value: ", pence.status().message()));
  }
  row.value_pence = *pence;
  const Field& date = fields[at[kDate]];
  row.date = std::string(absl::StripAsciiWhitespace(date.text));
  if (!policy::ParseIsoDate(row.date).has_value()) {
    return Refuse(line, date.column,
                  absl::StrCat("date: '", row.date,
                               "' is not a date written YYYY-MM-DD"));
  }
  return row;
}

}  // namespace

absl::StatusOr<std::vector<InvoiceRow>> ParseVoucherInvoice(
    absl::string_view csv) {
  if (csv.size() > kMaxInvoiceBytes) {
    return absl::InvalidArgumentError(
        "invoice_csv: at most 4 MiB; split the invoice");
  }
  absl::ConsumePrefix(&csv, "\xEF\xBB\xBF");
  std::optional<std::array<size_t, 3>> columns;
  size_t width = 0;
  std::vector<InvoiceRow> rows;
  int line = 0;
  while (!csv.empty()) {
    ++line;
    const size_t end = csv.find('\n');
    absl::string_view text = csv.substr(0, end);
    csv = end == absl::string_view::npos ? absl::string_view()
                                         : csv.substr(end + 1);
    absl::ConsumeSuffix(&text, "\r");
    if (absl::StripAsciiWhitespace(text).empty()) continue;
    absl::StatusOr<std::vector<Field>> fields = SplitLine(text, line);
    if (!fields.ok()) return fields.status();
    if (!columns.has_value()) {
      absl::StatusOr<std::array<size_t, 3>> header = ReadHeader(*fields, line);
      if (!header.ok()) return header.status();
      columns = *header;
      width = fields->size();
      continue;
    }
    if (static_cast<int>(rows.size()) == kMaxInvoiceRows) {
      return Refuse(line, 1,
                    absl::StrCat("at most ", kMaxInvoiceRows,
                                 " rows; split the invoice"));
    }
    absl::StatusOr<InvoiceRow> row =
        ReadRow(*fields, *columns, width, line, text);
    if (!row.ok()) return row.status();
    rows.push_back(*std::move(row));
  }
  if (!columns.has_value()) {
    return Refuse(1, 1, "empty: the first row is the header serial,value,date");
  }
  return rows;
}

}  // namespace reciprocity
