#include "web/app.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/money.h"

namespace reciprocity::web {
namespace {

constexpr char kSessionCookie[] = "rw_session";
constexpr char kCsrfCookie[] = "rw_csrf";

// The value of cookie `name` in the request, or "".
std::string CookieValue(const httplib::Request& request,
                        absl::string_view name) {
  const std::string header = request.get_header_value("Cookie");
  for (absl::string_view part : absl::StrSplit(header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, name) && absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

// What happened, in words a resident understands, and what to do next.
struct Explanation {
  int http_status;
  std::string title;
  std::string words;
};

Explanation Explain(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return {503, "We cannot reach the service just now",
              "Nothing was sent. What you typed is kept below. Please try "
              "again in a few minutes. If it keeps happening, call your "
              "officer."};
    case grpc::StatusCode::PERMISSION_DENIED:
      return {403, "You cannot do this",
              status.error_message().empty() ||
                      absl::StartsWith(status.error_message(), "principal ")
                  ? "Your sign-in does not let you see or change this. If "
                    "you think it should, ask your officer."
                  : absl::StrCat("The service said: ", status.error_message(),
                                 ".")};
    case grpc::StatusCode::NOT_FOUND:
      return {404, "We could not find that",
              "It may have been removed, or the link may be wrong."};
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::OUT_OF_RANGE:
      return {422, "We could not do that",
              absl::StrCat(status.error_message(),
                           ". Please check what you typed and try again.")};
    default:
      return {500, "Something went wrong on our side",
              "Nothing was changed. Please try again later, or call your "
              "officer."};
  }
}

void AddNav(const Visitor& v, Data& data) {
  Data nav = List();
  auto add = [&](const char* href, const char* label) {
    Data item;
    item.set("href", href);
    item.set("label", label);
    nav.push_back(item);
  };
  if (v.Has(v1::ROLE_PARTICIPANT) && !v.participant.empty()) {
    add("/claim", "Claim for a meeting");
    add("/claims", "My claims");
    add("/statement", "My statement");
    add("/payment", "How I am paid");
  }
  if (v.Has(v1::ROLE_PARTICIPANT)) {
    // A helper named on someone's record (an appointee) acts for them here.
    add("/help", "Help someone");
  }
  if (v.Has(v1::ROLE_OFFICER)) {
    add("/officer", "Today");
    add("/officer/review", "Claims to check");
    add("/officer/vouchers", "Vouchers");
    add("/officer/codes", "Sign-in codes");
    add("/officer/people", "People");
  }
  if (v.Has(v1::ROLE_FINANCE)) {
    add("/finance", "Ready to pay");
    add("/finance/spend", "Spend report");
    add("/finance/timeliness", "Paying on time");
    add("/finance/vouchers/bill", "Check a voucher bill");
  }
  if (v.Has(v1::ROLE_OFFICER) || v.Has(v1::ROLE_FINANCE) ||
      v.Has(v1::ROLE_ADMINISTRATOR)) {
    add("/rules", "Rules");
  }
  data.set("nav", nav);
  data.set("signed_in", true);
  data.set("who", v.principal);
}

}  // namespace

std::string Money(int64_t pence) {
  return absl::StrCat("£", client::PenceToPounds(pence));
}

std::string IdOf(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

Call::Call(WebApp& app, const httplib::Request& request,
           httplib::Response& response, std::optional<Visitor> visitor)
    : app_(app),
      request_(request),
      response_(response),
      visitor_(std::move(visitor)) {}

std::string Call::Param(const std::string& name) const {
  if (request_.is_multipart_form_data() && !request_.has_param(name)) {
    return std::string(absl::StripAsciiWhitespace(Upload(name)));
  }
  return std::string(
      absl::StripAsciiWhitespace(request_.get_param_value(name)));
}

std::string Call::Upload(const std::string& name) const {
  if (!request_.is_multipart_form_data()) return request_.get_param_value(name);
  return request_.has_file(name) ? request_.get_file_value(name).content : "";
}

std::unique_ptr<grpc::ClientContext> Call::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  if (visitor_.has_value()) {
    context->AddMetadata("authorization", "Bearer " + visitor_->token);
  }
  return context;
}

void Call::Page(const std::string& title, const std::string& body_template,
                Data data, int http_status) {
  std::string secret = CookieValue(request_, kCsrfCookie);
  if (secret.empty()) {
    secret = RandomHex();
    response_.set_header("Set-Cookie",
                         absl::StrCat(kCsrfCookie, "=", secret,
                                      "; Path=/; HttpOnly; SameSite=Strict",
                                      app_.secure_cookies() ? "; Secure" : ""));
  }
  data.set("csrf", app_.sessions().CsrfToken(secret));
  // {{#has_x}} wraps a list's heading or table: true when x has items.
  for (const char* key : {"meetings", "claims", "errors", "sessions",
                          "recorded", "areas", "batches"}) {
    const Data* list = data.get(key);
    if (list != nullptr && list->is_non_empty_list()) {
      data.set(absl::StrCat("has_", key), true);
    }
  }
  data.set("title", title);
  if (visitor_.has_value()) AddNav(*visitor_, data);
  const std::string notice = Param("notice");
  if (!notice.empty() && !data.get("notice")) data.set("notice", notice);
  data.set("body", Render(body_template, data));
  response_.status = http_status;
  response_.set_header("Cache-Control", "no-store");
  response_.set_content(Render(kLayout, data), "text/html; charset=utf-8");
}

void Call::Failed(const grpc::Status& status, const std::string& title,
                  const std::string& form_template, Data form) {
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    if (visitor_.has_value()) app_.sessions().Remove(visitor_->token);
    response_.set_header("Set-Cookie", app_.SessionCookie(""));
    Redirect("/sign-in", "You have been signed out. Please sign in again.");
    return;
  }
  const Explanation e = Explain(status);
  form.set("problem_title", e.title);
  form.set("problem", e.words);
  Page(title, form_template.empty() ? tmpl::kMessage : form_template, form,
       e.http_status);
}

void Call::Redirect(const std::string& path, const std::string& notice) {
  std::string location = path;
  if (!notice.empty()) {
    absl::StrAppend(&location, absl::StrContains(path, '?') ? "&" : "?",
                    "notice=", httplib::detail::encode_query_param(notice));
  }
  response_.set_redirect(location, 303);
}

WebApp::WebApp(WebOptions options)
    : options_(std::move(options)),
      connection_(options_.server),
      sessions_(options_.idle_timeout) {
  if (!options_.https_cert_file.empty()) {
    http_ = std::make_unique<httplib::SSLServer>(
        options_.https_cert_file.c_str(), options_.https_key_file.c_str());
  } else {
    http_ = std::make_unique<httplib::Server>();
  }
  // A year's voucher bill (about 30,000 lines) fits; the service takes up
  // to 4 MiB from `recip`.
  http_->set_payload_max_length(1024 * 1024);
  http_->set_default_headers(
      {{"X-Content-Type-Options", "nosniff"},
       {"X-Frame-Options", "DENY"},
       {"Referrer-Policy", "same-origin"},
       {"Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'"}});
  AddCoreRoutes();
  AddSignInPages(*this);
  AddParticipantPages(*this);
  AddOfficerPages(*this);
  AddFinancePages(*this);
  AddPeoplePages(*this);
  AddRulePages(*this);
  AddReconcilePages(*this);
  AddCorrectionPages(*this);
}

bool WebApp::secure_cookies() const {
  return !options_.https_cert_file.empty() ||
         absl::StartsWith(options_.public_url, "https://");
}

std::string WebApp::SessionCookie(const std::string& token) const {
  return absl::StrCat(
      kSessionCookie, "=", token, "; Path=/; HttpOnly; SameSite=Strict",
      secure_cookies() ? "; Secure" : "", token.empty() ? "; Max-Age=0" : "");
}

void WebApp::Route(bool post, const std::string& pattern, Access access,
                   Handler handler) {
  auto run = [this, post, access, handler = std::move(handler)](
                 const httplib::Request& request, httplib::Response& response) {
    std::optional<Visitor> visitor =
        sessions_.Find(CookieValue(request, kSessionCookie));
    Call call(*this, request, response, visitor);
    if (post && !sessions_.CsrfMatches(CookieValue(request, kCsrfCookie),
                                       call.Param("csrf"))) {
      Data data;
      data.set("problem_title", "This form has expired");
      data.set("problem",
               "For your safety we did not send it. Please go back, reload "
               "the page and try again.");
      call.Page("Please try again", tmpl::kMessage, data, 403);
      return;
    }
    if (access != Access::kAnyone && !visitor.has_value()) {
      call.Redirect("/sign-in", "Please sign in first.");
      return;
    }
    const bool allowed =
        access == Access::kAnyone || access == Access::kSignedIn ||
        (access == Access::kParticipant &&
         visitor->Has(v1::ROLE_PARTICIPANT)) ||
        (access == Access::kOfficer && visitor->Has(v1::ROLE_OFFICER)) ||
        (access == Access::kFinance && visitor->Has(v1::ROLE_FINANCE)) ||
        (access == Access::kStaff &&
         (visitor->Has(v1::ROLE_OFFICER) || visitor->Has(v1::ROLE_FINANCE) ||
          visitor->Has(v1::ROLE_ADMINISTRATOR)));
    if (!allowed) {
      call.Failed(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, ""),
                  "You cannot do this");
      return;
    }
    handler(call);
  };
  if (post) {
    http_->Post(pattern, run);
  } else {
    http_->Get(pattern, run);
  }
}

void WebApp::Get(const std::string& pattern, Access access, Handler handler) {
  Route(false, pattern, access, std::move(handler));
}

void WebApp::Post(const std::string& pattern, Access access, Handler handler) {
  Route(true, pattern, access, std::move(handler));
}

void WebApp::AddCoreRoutes() {
  http_->Get("/static/style.css",
             [](const httplib::Request&, httplib::Response& response) {
               response.set_header("Cache-Control", "max-age=3600");
               response.set_content(kStyleSheet, "text/css");
             });
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& r) {
    r.set_content("ok\n", "text/plain");
  });
  http_->set_error_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return;
        Call call(*this, request, response, std::nullopt);
        Data data;
        const int status = response.status;
        if (status == 413) {  // past set_payload_max_length
          data.set("problem_title", "That was too big to send");
          data.set("problem",
                   "Nothing was sent. A file or text can be up to 1 MB. Go "
                   "back and send a smaller one.");
          return call.Page("Too big", tmpl::kMessage, data, status);
        }
        data.set("problem_title", "We could not find that page");
        data.set("problem", "Check the address, or go back to the start.");
        call.Page("Page not found", tmpl::kMessage, data, status);
      });
}

absl::Status WebApp::Bind() {
  const size_t colon = options_.listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(options_.listen.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen: give host:port, not ", options_.listen));
  }
  std::string host = options_.listen.substr(0, colon);
  if (absl::StartsWith(host, "[")) host = host.substr(1, host.size() - 2);
  if (port == 0) {
    port_ = http_->bind_to_any_port(host);
  } else {
    port_ = http_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen));
  }
  return absl::OkStatus();
}

void WebApp::Run() { http_->listen_after_bind(); }
void WebApp::Stop() { http_->stop(); }

}  // namespace reciprocity::web
