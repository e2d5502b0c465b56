// Signing in with a one-time code (participants) or a staff token, and out.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "reciprocity/v1/sign_in.grpc.pb.h"
#include "web/app.h"

namespace reciprocity::web {
namespace {

// Wrong codes are counted by reciprocityd, not here: one count for recip,
// the web front and anything else, kept where codes are checked. The web
// front is one peer for all browsers, so it names the browser's address
// with each code; reciprocityd believes that only from a front end it was
// told to trust (reciprocityd --sign-in-proxy), so a direct caller cannot
// dodge its limit by naming addresses. Behind a proxy on this machine
// (TLS ending at nginx) the browser is the last address the proxy adds.
std::string BrowserAddress(const httplib::Request& request) {
  const std::string forwarded = request.get_header_value("X-Forwarded-For");
  const bool local_proxy =
      request.remote_addr == "127.0.0.1" || request.remote_addr == "::1";
  if (!local_proxy || forwarded.empty()) return request.remote_addr;
  const size_t comma = forwarded.rfind(',');
  return std::string(absl::StripAsciiWhitespace(
      comma == std::string::npos ? forwarded : forwarded.substr(comma + 1)));
}

void SignedIn(Call& call, const v1::SignInSession& session) {
  call.app().sessions().Add(session);
  call.response().set_header("Set-Cookie",
                             call.app().SessionCookie(session.token()));
  call.Redirect("/", "You are signed in.");
}

void Home(Call& call) {
  if (!call.signed_in()) {
    call.Redirect("/sign-in");
    return;
  }
  const Visitor& v = call.visitor();
  // One place to start for each kind of person.
  if (v.Has(v1::ROLE_PARTICIPANT) && v.roles.size() == 1) {
    call.Page("Welcome", tmpl::kHome, Data());
  } else if (v.Has(v1::ROLE_OFFICER)) {
    call.Redirect("/officer");
  } else if (v.Has(v1::ROLE_FINANCE)) {
    call.Redirect("/finance");
  } else {
    call.Page("Welcome", tmpl::kHome, Data());
  }
}

}  // namespace

void AddSignInPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/", A::kAnyone, Home);
  app.Get("/sign-in", A::kAnyone,
          [](Call& call) { call.Page("Sign in", tmpl::kSignIn, Data()); });
  app.Post("/sign-in", A::kAnyone, [](Call& call) {
    Data form;
    form.set("code", call.Param("code"));
    if (call.Param("code").empty()) {
      form.set("code_error", "Type the code from your letter");
      form.set("problem_title", "There is a problem");
      form.set("problem", "Type the code from your letter.");
      call.Page("Sign in", tmpl::kSignIn, form, 422);
      return;
    }
    auto stub = v1::SignInService::NewStub(call.app().channel());
    v1::RedeemSignInCodeRequest request;
    request.set_code(call.Param("code"));
    v1::SignInSession session;
    auto context = call.Context();
    context->AddMetadata("x-forwarded-for", BrowserAddress(call.request()));
    grpc::Status s = stub->RedeemSignInCode(context.get(), request, &session);
    if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
        absl::StartsWith(s.error_message(), "Too many wrong codes")) {
      // The service's own words: how long to wait.
      form.set("problem_title", "Please wait a while");
      form.set("problem", s.error_message());
      call.Page("Sign in", tmpl::kSignIn, form, 429);
      return;
    }
    if (s.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      form.set("code_error",
               "That code does not work. It may be used up, too old or "
               "mistyped");
      form.set("problem_title", "That code does not work");
      form.set("problem",
               "Check the code and try again. Each code works once. If it "
               "still does not work, ask your officer for a new one.");
      call.Page("Sign in", tmpl::kSignIn, form, 401);
      return;
    }
    if (!s.ok()) {
      call.Failed(s, "Sign in", tmpl::kSignIn, form);
      return;
    }
    SignedIn(call, session);
  });
  app.Post("/sign-in/staff", A::kAnyone, [](Call& call) {
    auto stub = v1::SignInService::NewStub(call.app().channel());
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + call.Param("token"));
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    v1::SignInSession session;
    grpc::Status s = stub->CreateSignInSession(
        &context, v1::CreateSignInSessionRequest(), &session);
    if (s.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
        s.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      Data form;
      form.set("problem_title", "That token does not work");
      form.set("problem", "Check it and try again.");
      call.Page("Sign in", tmpl::kSignIn, form, 401);
      return;
    }
    if (!s.ok()) {
      call.Failed(s, "Sign in", tmpl::kSignIn);
      return;
    }
    SignedIn(call, session);
  });
  app.Post("/sign-out", A::kAnyone, [](Call& call) {
    if (call.signed_in()) {
      auto stub = v1::SignInService::NewStub(call.app().channel());
      v1::EndSignInSessionResponse ended;
      (void)stub->EndSignInSession(call.Context().get(), {}, &ended);
      call.app().sessions().Remove(call.visitor().token);
    }
    call.response().set_header("Set-Cookie", call.app().SessionCookie(""));
    call.Redirect("/sign-in", "You are signed out.");
  });
}

}  // namespace reciprocity::web
