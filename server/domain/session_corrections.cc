// Correcting a session: changing its day, times, place or crèche, and
// cancelling it. What was recorded against a session (attendance, claims)
// was made for the day and times it had, so a change that would make those
// records wrong is refused until they are corrected first.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/access.h"
#include "server/domain/claim_validation.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"
#include "server/domain/session_rules.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kMaxVenueBytes = 200;

// The fields UpdateSession changes, from its update_mask.
struct SessionMask {
  bool date = false;
  bool start_time = false;
  bool end_time = false;
  bool venue = false;
  bool online = false;
  bool creche_provided = false;
};

absl::StatusOr<SessionMask> ParseSessionMask(
    const google::protobuf::FieldMask& mask) {
  if (mask.paths_size() == 0) {
    return absl::InvalidArgumentError(
        "update_mask: name the fields to change, e.g. date or venue");
  }
  SessionMask m;
  for (const std::string& path : mask.paths()) {
    if (path == "date") {
      m.date = true;
    } else if (path == "start_time") {
      m.start_time = true;
    } else if (path == "end_time") {
      m.end_time = true;
    } else if (path == "venue") {
      m.venue = true;
    } else if (path == "online") {
      m.online = true;
    } else if (path == "creche_provided") {
      m.creche_provided = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: '", path.substr(0, 40),
          "' cannot be changed; use date, start_time, end_time, venue, "
          "online or creche_provided"));
    }
  }
  return m;
}

// Checks each field the mask names on its own, before the transaction.
absl::Status ValidateSessionChange(const v1::Session& in,
                                   const SessionMask& mask) {
  if (mask.date) {
    RECIP_RETURN_IF_ERROR(ParseDateField("session.date", in.date()).status());
  }
  if (mask.start_time) {
    RECIP_RETURN_IF_ERROR(
        ParseTimeOfDay("session.start_time", in.start_time()).status());
  }
  if (mask.end_time) {
    RECIP_RETURN_IF_ERROR(
        ParseTimeOfDay("session.end_time", in.end_time()).status());
  }
  if (mask.venue) {
    if (in.venue().size() > kMaxVenueBytes) {
      return absl::InvalidArgumentError(
          "session.venue: at most 200 characters");
    }
    RECIP_RETURN_IF_ERROR(
        CheckFreeText("session.venue", in.venue(), TextLines::kOne));
  }
  if (mask.creche_provided && !in.has_creche_provided()) {
    return absl::InvalidArgumentError(
        "session.creche_provided: say true or false");
  }
  return absl::OkStatus();
}

// The claims made for the session (any state), by ascending id.
absl::StatusOr<std::vector<store::ClaimRow>> ClaimsForSession(
    store::ReadTransaction& tx, const store::SessionRow& session) {
  store::ClaimFilter filter;
  filter.area_id = session.area_id;
  filter.project_id = session.project_id;
  filter.session_date_from = session.session_date;
  filter.session_date_to = session.session_date;
  const std::string key = absl::StrCat(session.id);
  std::vector<store::ClaimRow> claims;
  RECIP_RETURN_IF_ERROR(tx.ScanClaims(filter, [&](const store::ClaimRow& row) {
    if (row.session_id == key) claims.push_back(row);
    return absl::OkStatus();
  }));
  return claims;
}

// The records the session's attendance and claims make wrong if `changed`
// replaces `stored`: FAILED_PRECONDITION naming the field, or OK.
absl::Status CheckRecordsStillFit(store::ReadTransaction& tx,
                                  const store::SessionRow& row,
                                  const v1::Session& stored,
                                  const v1::Session& changed) {
  RECIP_ASSIGN_OR_RETURN(std::vector<store::AttendanceRow> attendances,
                         tx.ListAttendancesOfSession(row.id));
  if (changed.date() != stored.date()) {
    if (!attendances.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session.date: attendance is already recorded for this session on ",
          stored.date(),
          "; remove it first (DeleteAttendance), or create a new session for "
          "the new day"));
    }
    RECIP_ASSIGN_OR_RETURN(std::vector<store::ClaimRow> claims,
                           ClaimsForSession(tx, row));
    if (!claims.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session.date: ", ClaimName(claims.front().id),
          " is a claim for this session on ", stored.date(),
          ", and claims keep the day they were made for; create a new "
          "session for the new day, or cancel this one"));
    }
  }
  RECIP_ASSIGN_OR_RETURN(int length, SessionLengthMinutes(changed));
  for (const store::AttendanceRow& a : attendances) {
    if (a.minutes > length) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session.end_time: ", AttendanceName(row.id, a.participant_id),
          " records ", a.minutes, " minutes, longer than the new times allow (",
          length, " minutes); correct the attendance first"));
    }
    if (!changed.creche_provided() && a.creche_used.value_or(false)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session.creche_provided: the register says a child used the crèche "
          "(",
          AttendanceName(row.id, a.participant_id),
          "); correct the attendance first"));
    }
  }
  return absl::OkStatus();
}

std::string Count(size_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// What cancelling does to what was already made for the session, in plain
// English for the officer.
absl::StatusOr<std::string> CancellationNote(store::ReadTransaction& tx,
                                             const store::SessionRow& row) {
  RECIP_ASSIGN_OR_RETURN(std::vector<store::ClaimRow> claims,
                         ClaimsForSession(tx, row));
  size_t open_claims = 0;
  for (const store::ClaimRow& c : claims) {
    if (c.state != v1::CLAIM_STATE_WITHDRAWN) ++open_claims;
  }
  RECIP_ASSIGN_OR_RETURN(std::vector<store::AttendanceRow> attendances,
                         tx.ListAttendancesOfSession(row.id));
  size_t owed = 0, given = 0;
  for (const store::AttendanceRow& a : attendances) {
    if (a.entitlement_id == 0) continue;
    RECIP_ASSIGN_OR_RETURN(store::VoucherEntitlementRow e,
                           tx.GetVoucherEntitlement(a.entitlement_id));
    if (e.state == v1::VOUCHER_ENTITLEMENT_STATE_EARNED) ++owed;
    if (e.state == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED) ++given;
  }
  std::string note;
  if (open_claims == 0) {
    note = "No claims were made for this session. ";
  } else {
    absl::StrAppend(&note, Count(open_claims, "claim", "claims"),
                    " already made for it ",
                    open_claims == 1 ? "stays" : "stay",
                    " and will be judged and paid as usual. ");
  }
  if (owed == 0 && given == 0) {
    note += "No vouchers were earned at it.";
  } else {
    if (owed > 0) {
      absl::StrAppend(&note, Count(owed, "voucher", "vouchers"),
                      " earned and not yet given ", owed == 1 ? "is" : "are",
                      " still owed. ");
    }
    if (given > 0) {
      absl::StrAppend(&note, Count(given, "voucher", "vouchers"),
                      " already given ", given == 1 ? "stays" : "stay",
                      " given. ");
    }
    note += "Correct the register to change one.";
  }
  return note;
}

}  // namespace

absl::StatusOr<v1::Session> ProgrammeService::UpdateSession(
    const Principal& caller, const v1::UpdateSessionRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  const v1::Session& in = request.session();
  RECIP_ASSIGN_OR_RETURN(int64_t id,
                         ParseSessionName("session.name", in.name()));
  RECIP_ASSIGN_OR_RETURN(SessionMask mask,
                         ParseSessionMask(request.update_mask()));
  RECIP_RETURN_IF_ERROR(ValidateSessionChange(in, mask));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Session>(
      store_, caller, "UpdateSession", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Session> {
        RECIP_ASSIGN_OR_RETURN(
            store::SessionRow row,
            FindSessionForOfficer(tx, caller, "session.name", in.name(), id));
        RECIP_ASSIGN_OR_RETURN(v1::Session stored, SessionFromRow(row));
        if (IsCancelled(stored)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "session.name: ", in.name(),
              " was cancelled; a cancelled session cannot be changed"));
        }
        v1::Session s = stored;
        if (mask.date) s.set_date(in.date());
        if (mask.start_time) s.set_start_time(in.start_time());
        if (mask.end_time) s.set_end_time(in.end_time());
        if (mask.venue) s.set_venue(in.venue());
        if (mask.online) s.set_online(in.online());
        if (mask.creche_provided) s.set_creche_provided(in.creche_provided());
        RECIP_ASSIGN_OR_RETURN(int length, SessionLengthMinutes(s));
        if (length <= 0) {
          return absl::InvalidArgumentError(
              "session.end_time: must be after start_time");
        }
        if (s.venue().empty() == !s.online()) {
          return absl::InvalidArgumentError(
              "session.venue: give a venue, or mark the session online (not "
              "both)");
        }
        RECIP_RETURN_IF_ERROR(CheckRecordsStillFit(tx, row, stored, s));
        s.set_updated_by(caller.id);
        *s.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(now);
        s.clear_name();
        row.session_date = s.date();
        row.creche_provided = s.creche_provided();
        row.body = s.SerializeAsString();
        RECIP_RETURN_IF_ERROR(tx.UpdateSession(row));
        s.set_name(SessionName(id));
        return s;
      });
}

absl::StatusOr<v1::Session> ProgrammeService::CancelSession(
    const Principal& caller, const v1::CancelSessionRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(int64_t id, ParseSessionName("name", request.name()));
  RECIP_RETURN_IF_ERROR(ValidateCorrectionReason("reason", request.reason()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Session>(
      store_, caller, "CancelSession", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Session> {
        RECIP_ASSIGN_OR_RETURN(
            store::SessionRow row,
            FindSessionForOfficer(tx, caller, "name", request.name(), id));
        RECIP_ASSIGN_OR_RETURN(v1::Session s, SessionFromRow(row));
        if (IsCancelled(s)) {
          return absl::FailedPreconditionError(
              absl::StrCat("name: ", request.name(), " was already cancelled"));
        }
        RECIP_ASSIGN_OR_RETURN(std::string note, CancellationNote(tx, row));
        s.set_state(v1::SESSION_STATE_CANCELLED);
        s.set_cancel_reason(request.reason());
        s.set_cancelled_by(caller.id);
        *s.mutable_cancel_time() = TimeUtil::MicrosecondsToTimestamp(now);
        s.set_cancellation_note(note);
        s.clear_name();
        row.body = s.SerializeAsString();
        RECIP_RETURN_IF_ERROR(tx.UpdateSession(row));
        s.set_name(SessionName(id));
        return s;
      });
}

}  // namespace reciprocity
