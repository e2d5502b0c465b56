#include "client/connection.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/str_format.h"
#include "client/exit_code.h"

namespace reciprocity::client {

namespace {

// The whole of a PEM file named by `flag`; a file that cannot be read ends
// the command with a message (main checks the files exist first).
std::string ReadPemOrExit(const char* flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) {
    std::cerr << "recip: " << flag << ": cannot read " << path << "\n";
    std::exit(kExitUsage);
  }
  return text.str();
}

std::shared_ptr<grpc::ChannelCredentials> Credentials(
    const ConnectionOptions& o) {
  if (o.tls_ca_file.empty() && o.tls_cert_file.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  // No CA given: the system's trusted roots.
  if (!o.tls_ca_file.empty()) {
    ssl.pem_root_certs = ReadPemOrExit("--tls-ca", o.tls_ca_file);
  }
  if (!o.tls_cert_file.empty()) {
    ssl.pem_cert_chain = ReadPemOrExit("--tls-cert", o.tls_cert_file);
    ssl.pem_private_key = ReadPemOrExit("--tls-key", o.tls_key_file);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

Connection::Connection(ConnectionOptions options)
    : options_(std::move(options)) {
  channel_ = grpc::CreateChannel(options_.server, Credentials(options_));
}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!options_.token.empty()) {
    context->AddMetadata("authorization", "Bearer " + options_.token);
  }
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(options_.timeout_seconds));
  return context;
}

std::string NewRequestId() {
  std::random_device random;
  std::uniform_int_distribution<uint32_t> word;
  uint32_t w[4] = {word(random), word(random), word(random), word(random)};
  w[1] = (w[1] & 0xffff0fffu) | 0x00004000u;  // version 4
  w[2] = (w[2] & 0x3fffffffu) | 0x80000000u;  // variant 1
  return absl::StrFormat("%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16,
                         w[1] & 0xffff, w[2] >> 16, w[2] & 0xffff, w[3]);
}

grpc::Status CallWithRetry(
    const Connection& connection,
    const std::function<grpc::Status(grpc::ClientContext&)>& call) {
  grpc::Status status;
  auto delay = std::chrono::milliseconds(200);
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto context = connection.NewContext();
    status = call(*context);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  return status;
}

int ReportError(const grpc::Status& status) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int code = status.error_code();
  std::cerr << "recip: " << (code >= 0 && code <= 16 ? kNames[code] : "ERROR")
            << ": " << status.error_message() << "\n";
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "hint: is reciprocityd running? Set --server or RECIP_SERVER "
                 "(host:port).\n";
  } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    std::cerr << "hint: pass your token with --token or RECIP_TOKEN.\n";
  }
  return ExitCodeFor(status);
}

}  // namespace reciprocity::client
