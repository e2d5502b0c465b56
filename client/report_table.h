// What the report commands share: tables for the terminal, CSV files
// (RFC 4180), and one FinanceService call.
#ifndef RECIPROCITY_CLIENT_REPORT_TABLE_H_
#define RECIPROCITY_CLIENT_REPORT_TABLE_H_

#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "client/call.h"
#include "client/commands.h"
#include "reciprocity/v1/finance.grpc.pb.h"

namespace reciprocity::client {

using Row = std::vector<std::string>;

// A table as CSV text, CRLF line ends.
std::string ToCsv(const Row& header, const std::vector<Row>& rows);

// A table with columns as wide as their widest cell; numbers right-aligned.
void PrintTable(std::ostream& out, const Row& header,
                const std::vector<Row>& rows);

// Writes `content` to `path` ("-": standard output); false, having said
// why on standard error, when it cannot.
bool WriteFile(const std::string& path, const std::string& content);

// Prints the title and table, or writes the CSV to `csv` when it is set.
void Emit(Globals& g, const std::string& csv, const std::string& title,
          const Row& header, const std::vector<Row>& rows);

// "adult-social-care" -> "serviceAreas/adult-social-care"; "" stays "".
std::string AreaName(const std::string& area);

// Makes one FinanceService call into `response`; with --json prints it and
// returns false (nothing more to print), as on failure.
template <typename Request, typename Response>
bool CallFinance(Globals& g, const Request& request, Response& response,
                 grpc::Status (v1::FinanceService::Stub::*method)(
                     grpc::ClientContext*, const Request&, Response*)) {
  Calls<v1::FinanceService> calls(g);
  if (!calls.Make<Response>(
          [&](v1::FinanceService::Stub& stub, grpc::ClientContext& c,
              Response* out) { return (stub.*method)(&c, request, out); },
          &response)) {
    return false;
  }
  if (g.json) std::cout << ToJson(response) << "\n";
  return !g.json;
}

// recip report vouchers: adds the subcommand to the report group.
void AddVoucherReportCommand(CLI::App& report, Globals& g);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_REPORT_TABLE_H_
