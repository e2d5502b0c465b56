#include "server/domain/sign_in_service.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "reciprocity/v1/programme.pb.h"

namespace reciprocity {
namespace {

constexpr absl::string_view kParticipants = "participants/";
constexpr absl::string_view kPrincipals = "principals/";
constexpr absl::string_view kSessionPrefix = "rs_";
// No 0, 1, I or O: they are easy to misread on a letter.
constexpr absl::string_view kCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr int kCodeLength = 8;  // 40 bits

std::string RandomBytes(int n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), n) != 1) {
    abort();  // no randomness: nothing safe to do
  }
  return bytes;
}

std::string NewCode() {
  std::string code;
  for (unsigned char b : RandomBytes(kCodeLength)) {
    code.push_back(kCodeAlphabet[b % kCodeAlphabet.size()]);
  }
  return code;
}

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  out->set_seconds(micros / 1'000'000);
  out->set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
}

absl::Status NotSignedIn() {
  return absl::UnauthenticatedError(
      "that sign-in code or session does not work: it may be used, "
      "expired or mistyped. Ask an officer for a new code");
}

}  // namespace

bool SignInService::IsSessionToken(absl::string_view token) {
  return absl::StartsWith(token, kSessionPrefix);
}

std::string SignInService::NormaliseCode(absl::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

absl::StatusOr<Principal> SignInService::Resolve(
    absl::string_view principal) const {
  if (absl::StartsWith(principal, kParticipants)) {
    const std::string id(principal.substr(kParticipants.size()));
    absl::Status s = store_.Read([&](store::ReadTransaction& tx) {
      auto row = tx.GetParticipant(id);
      if (!row.ok()) return row.status();
      if (row->state != v1::PARTICIPANT_STATE_ACTIVE) {
        return absl::FailedPreconditionError(
            absl::StrCat(principal, " is not active"));
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    Principal p;
    p.id = std::string(principal);
    p.roles = {v1::ROLE_PARTICIPANT};
    p.participant_id = id;
    return p;
  }
  if (absl::StartsWith(principal, kPrincipals)) {
    return staff_(principal.substr(kPrincipals.size()));
  }
  return absl::InvalidArgumentError(
      "principal: name a participant (participants/p-0001) or a staff "
      "principal (principals/officer-1)");
}

absl::StatusOr<v1::SignInCode> SignInService::IssueCode(
    const Principal& caller, const v1::IssueSignInCodeRequest& request) {
  const std::string& name = request.principal();
  if (request.valid_hours() < 0 || request.valid_hours() > 720) {
    return absl::InvalidArgumentError("valid_hours: from 1 to 720");
  }
  const bool for_participant = absl::StartsWith(name, kParticipants);
  if (!for_participant && !caller.HasRole(v1::ROLE_ADMINISTRATOR)) {
    return absl::PermissionDeniedError(
        "only an administrator may issue a sign-in code for staff");
  }
  if (for_participant && !caller.HasRole(v1::ROLE_OFFICER) &&
      !caller.HasRole(v1::ROLE_ADMINISTRATOR)) {
    return absl::PermissionDeniedError(
        "only an officer may issue a sign-in code for a participant");
  }
  auto who = Resolve(name);
  if (!who.ok()) {
    if (absl::IsUnauthenticated(who.status())) {
      return absl::NotFoundError(absl::StrCat(name, " not found"));
    }
    return who.status();
  }
  const absl::Time now = clock_.Now();
  const absl::Time expire =
      now +
      absl::Hours(request.valid_hours() == 0 ? 168 : request.valid_hours());
  const std::string code = NewCode();
  store::SignInCodeRow row;
  row.code_hash = Sha256Hex(code);
  row.principal = name;
  row.issued_by = caller.id;
  row.create_time_micros = absl::ToUnixMicros(now);
  row.expire_time_micros = absl::ToUnixMicros(expire);
  if (absl::Status s = sign_ins_.InsertCode(row); !s.ok()) return s;
  v1::SignInCode out;
  out.set_principal(name);
  out.set_code(absl::StrCat(code.substr(0, 4), "-", code.substr(4)));
  SetTime(expire, out.mutable_expire_time());
  return out;
}

absl::StatusOr<v1::SignInSession> SignInService::StartSession(
    const Principal& who, absl::string_view name, bool from_code,
    const std::string& code_hash) {
  const absl::Time now = clock_.Now();
  const std::string token =
      absl::StrCat(kSessionPrefix, absl::BytesToHexString(RandomBytes(32)));
  store::SignInSessionRow row;
  row.token_hash = Sha256Hex(token);
  row.principal = std::string(name);
  row.create_time_micros = absl::ToUnixMicros(now);
  row.last_used_micros = row.create_time_micros;
  row.expire_time_micros = absl::ToUnixMicros(now + options_.session_lifetime);
  if (from_code) {
    auto stored = sign_ins_.RedeemCode(code_hash, row.create_time_micros, row);
    if (absl::IsNotFound(stored.status())) return NotSignedIn();
    if (!stored.ok()) return stored.status();
  } else if (absl::Status s = sign_ins_.InsertSession(row); !s.ok()) {
    return s;
  }
  v1::SignInSession session;
  session.set_token(token);
  session.set_principal(std::string(name));
  for (v1::Role role : who.roles) session.add_roles(role);
  if (!who.participant_id.empty()) {
    session.set_participant(absl::StrCat(kParticipants, who.participant_id));
  }
  session.set_idle_timeout_seconds(
      static_cast<int32_t>(absl::ToInt64Seconds(options_.idle_timeout)));
  SetTime(now + options_.session_lifetime, session.mutable_expire_time());
  return session;
}

absl::StatusOr<v1::SignInSession> SignInService::RedeemCode(
    const v1::RedeemSignInCodeRequest& request, absl::string_view source) {
  if (absl::Status s = throttle_.Check(source); !s.ok()) return s;
  auto session = RedeemUnthrottled(request);
  if (absl::IsUnauthenticated(session.status())) {
    throttle_.RecordFailure(source);
  }
  return session;
}

absl::StatusOr<v1::SignInSession> SignInService::RedeemUnthrottled(
    const v1::RedeemSignInCodeRequest& request) {
  const std::string code = NormaliseCode(request.code());
  if (code.size() != kCodeLength) return NotSignedIn();
  const std::string hash = Sha256Hex(code);
  // Who the code is for is known only once it is redeemed; RedeemCode in
  // the store takes it from the code's row, then we check it still exists.
  auto session = StartSession(Principal{}, "", true, hash);
  if (!session.ok()) return session;
  auto stored = sign_ins_.TouchSession(
      Sha256Hex(session->token()), absl::ToUnixMicros(clock_.Now()),
      absl::ToInt64Microseconds(options_.idle_timeout));
  if (!stored.ok()) return NotSignedIn();
  auto who = Resolve(stored->principal);
  if (!who.ok()) {
    (void)sign_ins_.DeleteSession(Sha256Hex(session->token()));
    return NotSignedIn();
  }
  session->set_principal(stored->principal);
  for (v1::Role role : who->roles) session->add_roles(role);
  if (!who->participant_id.empty()) {
    session->set_participant(absl::StrCat(kParticipants, who->participant_id));
  }
  return session;
}

absl::StatusOr<v1::SignInSession> SignInService::CreateSession(
    const Principal& caller) {
  if (caller.HasRole(v1::ROLE_PARTICIPANT) && caller.roles.size() == 1) {
    return absl::PermissionDeniedError(
        "participants sign in with a code from an officer");
  }
  return StartSession(caller, absl::StrCat(kPrincipals, caller.id), false, "");
}

absl::Status SignInService::EndSession(absl::string_view token) {
  return sign_ins_.DeleteSession(Sha256Hex(token));
}

absl::StatusOr<Principal> SignInService::Authenticate(
    absl::string_view token) const {
  auto row =
      sign_ins_.TouchSession(Sha256Hex(token), absl::ToUnixMicros(clock_.Now()),
                             absl::ToInt64Microseconds(options_.idle_timeout));
  if (absl::IsNotFound(row.status())) return NotSignedIn();
  if (!row.ok()) return row.status();
  auto who = Resolve(row->principal);
  if (!who.ok()) {
    if (absl::IsUnavailable(who.status())) return who.status();
    return NotSignedIn();
  }
  return who;
}

}  // namespace reciprocity
