// reciprocity-web: the web front for participants, officers and finance.
// Flags into WebOptions, then serve until SIGTERM or SIGINT.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "web/app.h"

namespace {

std::string Env(const char* name, const std::string& fallback = "") {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : value;
}

}  // namespace

int main(int argc, char** argv) {
  reciprocity::web::WebOptions options;
  options.server.server = Env("RECIP_SERVER", options.server.server);
  options.server.tls_ca_file = Env("RECIP_TLS_CA");
  options.server.tls_cert_file = Env("RECIP_TLS_CERT");
  options.server.tls_key_file = Env("RECIP_TLS_KEY");
  int idle_minutes = 30;
  CLI::App app("reciprocity-web: the web front of Reciprocity");
  app.add_option("--listen", options.listen,
                 "host:port to serve HTTP on (default 127.0.0.1:8080)");
  app.add_option("--server", options.server.server,
                 "reciprocityd address (RECIP_SERVER)");
  app.add_option("--tls-ca", options.server.tls_ca_file,
                 "CA of reciprocityd's certificate (RECIP_TLS_CA)");
  app.add_option("--tls-cert", options.server.tls_cert_file,
                 "client certificate for mutual TLS (RECIP_TLS_CERT)");
  app.add_option("--tls-key", options.server.tls_key_file,
                 "client key for mutual TLS (RECIP_TLS_KEY)");
  app.add_option("--public-url", options.public_url,
                 "the address people use; https:// marks cookies Secure");
  app.add_option("--https-cert", options.https_cert_file,
                 "serve HTTPS with this certificate (PEM)");
  app.add_option("--https-key", options.https_key_file, "and this key (PEM)");
  app.add_option("--idle-minutes", idle_minutes,
                 "sign a browser out after this long idle (default 30)");
  CLI11_PARSE(app, argc, argv);
  options.idle_timeout = absl::Minutes(idle_minutes);

  reciprocity::web::WebApp web(options);
  if (absl::Status s = web.Bind(); !s.ok()) {
    std::cerr << "reciprocity-web: " << s.message() << "\n";
    return 1;
  }
  std::cout << "reciprocity-web: listening on port " << web.port()
            << ", talking to " << options.server.server << std::endl;
  // Stop cleanly on SIGTERM/SIGINT: a thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    web.Stop();
  });
  web.Run();
  stopper.join();
  return 0;
}
