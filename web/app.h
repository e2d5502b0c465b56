// The web front: an HTTP server (cpp-httplib) whose pages talk to
// reciprocityd over gRPC as the signed-in person, exactly as recip does, so
// every rule, permission and audit event stays in the service.
#ifndef RECIPROCITY_WEB_APP_H_
#define RECIPROCITY_WEB_APP_H_

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/connection.h"
#include "web/html.h"
#include "web/session_book.h"

namespace reciprocity::web {

struct WebOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks one
  // How to reach reciprocityd (address and TLS files, as for recip).
  client::ConnectionOptions server;
  // The address people use, e.g. "https://claims.example.gov.uk". When it
  // starts with https:// (TLS ends at a proxy) cookies are marked Secure.
  std::string public_url;
  // Serve HTTPS directly with these PEM files (cookies are then Secure).
  std::string https_cert_file;
  std::string https_key_file;
  // A signed-in browser idle this long must sign in again.
  absl::Duration idle_timeout = absl::Minutes(30);
};

class WebApp;

// One request being answered, as a page handler sees it.
class Call {
 public:
  Call(WebApp& app, const httplib::Request& request,
       httplib::Response& response, std::optional<Visitor> visitor);

  const httplib::Request& request() const { return request_; }
  httplib::Response& response() { return response_; }
  // Signed in (page handlers run only when the visitor may see the page).
  const Visitor& visitor() const { return *visitor_; }
  bool signed_in() const { return visitor_.has_value(); }
  WebApp& app() { return app_; }

  // A form field or query parameter, trimmed; "" when absent. Also reads
  // the text fields of a multipart form (one with a file input).
  std::string Param(const std::string& name) const;
  // A form field as sent, untrimmed (a multipart form's file or text
  // field, or a plain form's field); "" when absent.
  std::string Upload(const std::string& name) const;
  // The n-th capture of the route's pattern.
  std::string Match(int n) const { return request_.matches[n].str(); }

  // A gRPC context carrying the visitor's session token and a deadline.
  std::unique_ptr<grpc::ClientContext> Context() const;

  // Renders `body_template` with `data` inside the page layout.
  void Page(const std::string& title, const std::string& body_template,
            Data data, int http_status = 200);
  // The plain-English page for a refused or failed call. When
  // `form_template` is given, the form is shown again with `form` (what was
  // typed) under the explanation. A signed-out session goes to sign-in.
  void Failed(const grpc::Status& status, const std::string& title,
              const std::string& form_template = "", Data form = Data());
  void Redirect(const std::string& path, const std::string& notice = "");

 private:
  WebApp& app_;
  const httplib::Request& request_;
  httplib::Response& response_;
  std::optional<Visitor> visitor_;
};

class WebApp {
 public:
  using Handler = std::function<void(Call&)>;
  // Who may open a page: nobody signed in, anyone signed in, or a role.
  // kStaff: officers, finance and administrators.
  enum class Access {
    kAnyone,
    kSignedIn,
    kParticipant,
    kOfficer,
    kFinance,
    kStaff
  };

  explicit WebApp(WebOptions options);
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  // Binds the address; INVALID_ARGUMENT or UNAVAILABLE when it cannot.
  absl::Status Bind();
  int port() const { return port_; }
  // Serves until Stop.
  void Run();
  void Stop();

  // Routes. POST handlers run only with a valid CSRF token.
  void Get(const std::string& pattern, Access access, Handler handler);
  void Post(const std::string& pattern, Access access, Handler handler);

  const std::shared_ptr<grpc::Channel>& channel() const {
    return connection_.channel();
  }
  SessionBook& sessions() { return sessions_; }
  const WebOptions& options() const { return options_; }
  bool secure_cookies() const;
  // The Set-Cookie value for the session cookie (empty token: expire it).
  std::string SessionCookie(const std::string& token) const;

 private:
  void Route(bool post, const std::string& pattern, Access access,
             Handler handler);
  void AddCoreRoutes();
  const WebOptions options_;
  client::Connection connection_;
  SessionBook sessions_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
};

// Page groups (each in its own file).
void AddSignInPages(WebApp& app);
void AddParticipantPages(WebApp& app);
void AddOfficerPages(WebApp& app);
void AddRegisterPages(WebApp& app);  // called by AddOfficerPages
void AddFinancePages(WebApp& app);
void AddPeoplePages(WebApp& app);     // officers: a person's record
void AddRulePages(WebApp& app);       // staff: areas, try a rule change
void AddReconcilePages(WebApp& app);  // finance: a voucher bill
// Putting records right: meetings, the register, vouchers, claims.
void AddCorrectionPages(WebApp& app);

// "£3.20".
std::string Money(int64_t pence);
// "12" from "claims/12".
std::string IdOf(const std::string& name);

// Reads a listing page after page from `request` on, to the last:
// `read(request, page)` makes one call; `take(page)` gets each page.
template <typename Response, typename Request, typename Read, typename Take>
grpc::Status ForEachPage(Request request, Read read, Take take) {
  do {
    Response page;
    if (grpc::Status s = read(request, page); !s.ok()) return s;
    take(page);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_APP_H_
