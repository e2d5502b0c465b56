// Participants, sessions and agreements. Attendance and vouchers are in
// programme_attendance.cc.
#include "server/domain/programme_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/access.h"
#include "server/domain/acting_for.h"
#include "server/domain/claim_validation.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/paging.h"
#include "server/domain/standing_agreements.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kMaxDisplayNameBytes = 100;
constexpr size_t kMaxContactBytes = 200;
constexpr size_t kMaxVenueBytes = 200;

bool IsStaff(const Principal& caller) {
  return caller.HasRole(v1::ROLE_OFFICER) || caller.HasRole(v1::ROLE_FINANCE) ||
         caller.HasRole(v1::ROLE_AUDITOR);
}

// Personal fields are checked for length only, and the messages never repeat
// what was typed, so that personal data stays out of errors and logs.
absl::Status ValidateParticipantFields(const v1::Participant& p,
                                       bool check_type, bool check_preference,
                                       bool check_name, bool check_contact) {
  if (check_type && (p.participant_type() == v1::PARTICIPANT_TYPE_UNSPECIFIED ||
                     !v1::ParticipantType_IsValid(p.participant_type()))) {
    return absl::InvalidArgumentError(
        "participant.participant_type: required, e.g. "
        "PARTICIPANT_TYPE_RESIDENT");
  }
  if (check_preference &&
      (p.payment_preference() == v1::PAYMENT_METHOD_UNSPECIFIED ||
       !v1::PaymentMethod_IsValid(p.payment_preference()))) {
    return absl::InvalidArgumentError(
        "participant.payment_preference: required, e.g. "
        "PAYMENT_METHOD_BANK_TRANSFER or PAYMENT_METHOD_DECLINE");
  }
  if (check_name && (p.display_name().empty() ||
                     p.display_name().size() > kMaxDisplayNameBytes)) {
    return absl::InvalidArgumentError(
        "participant.display_name: required, at most 100 characters");
  }
  if (check_contact && p.contact().size() > kMaxContactBytes) {
    return absl::InvalidArgumentError(
        "participant.contact: at most 200 characters");
  }
  if (check_name) {
    RECIP_RETURN_IF_ERROR(CheckFreeText("participant.display_name",
                                        p.display_name(), TextLines::kOne));
  }
  if (check_contact) {
    RECIP_RETURN_IF_ERROR(
        CheckFreeText("participant.contact", p.contact(), TextLines::kOne));
  }
  return absl::OkStatus();
}

absl::Status MayReadParticipant(const Principal& caller,
                                absl::string_view participant_id) {
  if (IsStaff(caller)) return absl::OkStatus();
  if (caller.HasRole(v1::ROLE_PARTICIPANT) &&
      caller.participant_id == participant_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("you may see only your own record");
}

// Staff: sessions of their areas. Participants: sessions they attended.
absl::Status MayReadSession(store::ReadTransaction& tx, const Principal& caller,
                            const store::SessionRow& session) {
  if (IsStaff(caller) && caller.ActsIn(session.area_id)) {
    return absl::OkStatus();
  }
  if (caller.HasRole(v1::ROLE_PARTICIPANT) && !caller.participant_id.empty()) {
    RECIP_ASSIGN_OR_RETURN(
        std::optional<store::AttendanceRow> attended,
        tx.FindAttendance(session.id, caller.participant_id));
    if (attended.has_value()) return absl::OkStatus();
  }
  return absl::PermissionDeniedError("you may not see this session");
}

absl::Status MustBeOfficer(const Principal& caller) {
  if (caller.HasRole(v1::ROLE_OFFICER)) return absl::OkStatus();
  return absl::PermissionDeniedError("only officers may change participants");
}

// Officers change any field of anyone; a participant only their own
// payment_preference (so that they can choose how, or whether, to be paid),
// and their appointee only that, for them.
absl::Status MayUpdateParticipant(store::Store& db, const Principal& caller,
                                  const std::string& participant_id,
                                  const google::protobuf::FieldMask& mask) {
  if (caller.HasRole(v1::ROLE_OFFICER)) return absl::OkStatus();
  // Checked again in the write transaction; here so that someone else's
  // record is refused before anything about the request is judged.
  RECIP_RETURN_IF_ERROR(
      db.Read([&](store::ReadTransaction& tx) -> absl::Status {
        return MayActForParticipant(tx, caller, participant_id,
                                    /*area_id=*/"")
            .status();
      }));
  for (const std::string& path : mask.paths()) {
    if (path != "payment_preference") {
      return absl::PermissionDeniedError(absl::StrCat(
          "update_mask: you may change only your payment_preference, not '",
          path.substr(0, 40), "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

store::ParticipantRow ParticipantToRow(const std::string& id,
                                       const v1::Participant& p) {
  store::ParticipantRow row;
  row.id = id;
  row.participant_type = p.participant_type();
  row.payment_preference = p.payment_preference();
  row.state = p.state();
  row.create_time_micros = TimeUtil::TimestampToMicroseconds(p.create_time());
  row.update_time_micros = TimeUtil::TimestampToMicroseconds(p.update_time());
  v1::Participant body = p;
  body.clear_name();
  row.body = body.SerializeAsString();
  return row;
}

absl::StatusOr<v1::Participant> ParticipantFromRow(
    const store::ParticipantRow& row) {
  v1::Participant p;
  if (!p.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("participants/", row.id, " is unreadable"));
  }
  p.set_name(ParticipantName(row.id));
  return p;
}

absl::StatusOr<v1::Session> SessionFromRow(const store::SessionRow& row) {
  v1::Session s;
  if (!s.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("sessions/", row.id, " is unreadable"));
  }
  s.set_name(SessionName(row.id));
  // The column is the record; bodies stored before the field had presence
  // omit a false.
  s.set_creche_provided(row.creche_provided);
  // Sessions stored before cancelling existed go ahead.
  if (s.state() == v1::SESSION_STATE_UNSPECIFIED) {
    s.set_state(v1::SESSION_STATE_SCHEDULED);
  }
  return s;
}

absl::StatusOr<v1::Agreement> AgreementFromRow(const store::AgreementRow& row) {
  v1::Agreement a;
  if (!a.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("agreements/", row.id, " is unreadable"));
  }
  a.set_name(AgreementName(row.id));
  return a;
}

absl::StatusOr<store::ParticipantRow> FindActiveParticipant(
    store::ReadTransaction& tx, absl::string_view field,
    const std::string& participant_id) {
  auto row = tx.GetParticipant(participant_id);
  if (absl::IsNotFound(row.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": participants/", participant_id,
                     " is not registered; an officer must register them "
                     "first"));
  }
  if (!row.ok()) return row.status();
  if (row->state != v1::PARTICIPANT_STATE_ACTIVE) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": participants/", participant_id, " is no longer active"));
  }
  return row;
}

absl::StatusOr<store::SessionRow> FindSessionForOfficer(
    store::ReadTransaction& tx, const Principal& caller,
    absl::string_view field, absl::string_view name, int64_t session_id) {
  auto session = tx.GetSession(session_id);
  if (!session.ok() && !absl::IsNotFound(session.status())) {
    return session.status();
  }
  if (session.ok() && caller.HasRoleIn(v1::ROLE_OFFICER, session->area_id)) {
    return session;
  }
  // AIP-211: the same answer whether the session is missing or in an area
  // the caller does not work in, so that neither its existence nor its area
  // shows. Only an officer of every area can be told it does not exist.
  if (!session.ok() && caller.HasRoleIn(v1::ROLE_OFFICER, "*")) {
    return absl::NotFoundError(absl::StrCat(field, ": ", name, " not found"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      field, ": ", name,
      " is not a session of a service area where you are an officer (or "
      "there is no such session)"));
}

absl::StatusOr<v1::Participant> ProgrammeService::CreateParticipant(
    const Principal& caller, const v1::CreateParticipantRequest& request) {
  RECIP_RETURN_IF_ERROR(MustBeOfficer(caller));
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  if (!request.participant_id().empty() &&
      !IsValidId(request.participant_id())) {
    return absl::InvalidArgumentError(
        "participant_id: 1-63 of a-z, 0-9 and '-', e.g. p-0001");
  }
  RECIP_RETURN_IF_ERROR(ValidateParticipantFields(
      request.participant(), /*check_type=*/true, /*check_preference=*/true,
      /*check_name=*/true, /*check_contact=*/true));
  const absl::Time now = clock_.Now();
  return RunIdempotent<v1::Participant>(
      store_, caller, "CreateParticipant", request, request.request_id(),
      absl::ToUnixMicros(now),
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Participant> {
        std::string id = request.participant_id();
        if (id.empty()) {
          // Server-assigned ids follow the register's own numbering.
          RECIP_ASSIGN_OR_RETURN(int64_t count, tx.CountParticipants());
          for (int64_t n = count + 1;; ++n) {
            id = absl::StrFormat("p-%04d", n);
            auto taken = tx.GetParticipant(id);
            if (absl::IsNotFound(taken.status())) break;
            if (!taken.ok()) return taken.status();
          }
        }
        v1::Participant p = request.participant();
        p.set_state(v1::PARTICIPANT_STATE_ACTIVE);
        p.set_updated_by(caller.id);
        *p.mutable_create_time() =
            TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
        *p.mutable_update_time() = p.create_time();
        RECIP_RETURN_IF_ERROR(tx.InsertParticipant(ParticipantToRow(id, p)));
        p.set_name(ParticipantName(id));
        return p;
      });
}

absl::StatusOr<v1::Participant> ProgrammeService::GetParticipant(
    const Principal& caller, const v1::GetParticipantRequest& request) {
  RECIP_ASSIGN_OR_RETURN(std::string id,
                         ParseParticipantName("name", request.name()));
  RECIP_RETURN_IF_ERROR(MayReadParticipant(caller, id));
  v1::Participant out;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        RECIP_ASSIGN_OR_RETURN(store::ParticipantRow row,
                               tx.GetParticipant(id));
        RECIP_ASSIGN_OR_RETURN(out, ParticipantFromRow(row));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<v1::ListParticipantsResponse> ProgrammeService::ListParticipants(
    const Principal& caller, const v1::ListParticipantsRequest& request) {
  const std::string kind = ListingKind("participants", request);
  if (!IsStaff(caller)) {
    return absl::PermissionDeniedError("you may not list participants");
  }
  store::ProgrammeFilter filter;
  RECIP_ASSIGN_OR_RETURN(filter.limit, PageLimit(request.page_size()));
  RECIP_ASSIGN_OR_RETURN(filter.after_key,
                         ParseKeyPageToken(kind, request.page_token()));
  if (!v1::ParticipantState_IsValid(request.state())) {
    return absl::InvalidArgumentError("state: not a participant state");
  }
  filter.state = request.state();
  v1::ListParticipantsResponse response;
  RECIP_RETURN_IF_ERROR((ReadPage<store::ParticipantRow, v1::Participant>(
      store_, filter.limit, kind,
      [&](store::ReadTransaction& tx) { return tx.ListParticipants(filter); },
      ParticipantFromRow,
      [](const store::ParticipantRow& row) { return row.id; },
      response.mutable_participants(), response.mutable_next_page_token())));
  return response;
}

absl::StatusOr<v1::Participant> ProgrammeService::UpdateParticipant(
    const Principal& caller, const v1::UpdateParticipantRequest& request) {
  RECIP_ASSIGN_OR_RETURN(
      std::string id,
      ParseParticipantName("participant.name", request.participant().name()));
  RECIP_RETURN_IF_ERROR(
      MayUpdateParticipant(store_, caller, id, request.update_mask()));
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  if (request.update_mask().paths_size() == 0) {
    return absl::InvalidArgumentError(
        "update_mask: name the fields to change, e.g. payment_preference");
  }
  bool type = false, preference = false, name = false, contact = false;
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "participant_type") {
      type = true;
    } else if (path == "payment_preference") {
      preference = true;
    } else if (path == "display_name") {
      name = true;
    } else if (path == "contact") {
      contact = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: '", path.substr(0, 40),
          "' cannot be changed; use participant_type, payment_preference, "
          "display_name or contact"));
    }
  }
  RECIP_RETURN_IF_ERROR(ValidateParticipantFields(request.participant(), type,
                                                  preference, name, contact));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Participant>(
      store_, caller, "UpdateParticipant", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Participant> {
        RECIP_ASSIGN_OR_RETURN(ActingAs acting,
                               MayActForParticipant(tx, caller, id, ""));
        RECIP_ASSIGN_OR_RETURN(store::ParticipantRow row,
                               tx.GetParticipant(id));
        RECIP_ASSIGN_OR_RETURN(v1::Participant p, ParticipantFromRow(row));
        if (p.state() == v1::PARTICIPANT_STATE_ANONYMISED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "participant.name: ", ParticipantName(id),
              " was anonymised; personal data cannot be added back"));
        }
        // "Changed by X for Y": the record names the appointee and whom
        // they acted for.
        p.set_updated_on_behalf_of(
            acting == ActingAs::kAppointee ? ParticipantName(id) : "");
        const v1::Participant& in = request.participant();
        if (type) p.set_participant_type(in.participant_type());
        if (preference) p.set_payment_preference(in.payment_preference());
        if (name) p.set_display_name(in.display_name());
        if (contact) p.set_contact(in.contact());
        *p.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(now);
        p.set_updated_by(caller.id);
        RECIP_RETURN_IF_ERROR(tx.UpdateParticipant(ParticipantToRow(id, p)));
        return p;
      });
}

absl::StatusOr<v1::Participant> ProgrammeService::DeactivateParticipant(
    const Principal& caller, const v1::DeactivateParticipantRequest& request) {
  RECIP_RETURN_IF_ERROR(MustBeOfficer(caller));
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(std::string id,
                         ParseParticipantName("name", request.name()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Participant>(
      store_, caller, "DeactivateParticipant", request, request.request_id(),
      now, [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Participant> {
        RECIP_ASSIGN_OR_RETURN(store::ParticipantRow row,
                               tx.GetParticipant(id));
        RECIP_ASSIGN_OR_RETURN(v1::Participant p, ParticipantFromRow(row));
        if (p.state() == v1::PARTICIPANT_STATE_INACTIVE ||
            p.state() == v1::PARTICIPANT_STATE_ANONYMISED) {
          return absl::FailedPreconditionError(
              absl::StrCat(request.name(), " is already inactive"));
        }
        p.set_state(v1::PARTICIPANT_STATE_INACTIVE);
        *p.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(now);
        p.set_updated_by(caller.id);
        p.clear_updated_on_behalf_of();
        RECIP_RETURN_IF_ERROR(tx.UpdateParticipant(ParticipantToRow(id, p)));
        return p;
      });
}

absl::StatusOr<v1::Session> ProgrammeService::CreateSession(
    const Principal& caller, const v1::CreateSessionRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  const v1::Session& in = request.session();
  RECIP_ASSIGN_OR_RETURN(ProjectName project,
                         ParseProjectName("session.project", in.project()));
  auto area = policies_.Find(project.area_id);
  const policy::ProjectInfo* project_info =
      area == nullptr ? nullptr : area->FindProject(project.project_id);
  if (project_info == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("session.project: no rule file declares ", in.project()));
  }
  RECIP_RETURN_IF_ERROR(CheckIsOfficerIn(caller, project.area_id));
  // Unset: the project's default from its rule file in force now. The session
  // records the answer, so a later change to the file does not change it.
  const bool creche = in.has_creche_provided()
                          ? in.creche_provided()
                          : project_info->creche_by_default;
  RECIP_RETURN_IF_ERROR(ParseDateField("session.date", in.date()).status());
  RECIP_ASSIGN_OR_RETURN(int start,
                         ParseTimeOfDay("session.start_time", in.start_time()));
  RECIP_ASSIGN_OR_RETURN(int end,
                         ParseTimeOfDay("session.end_time", in.end_time()));
  if (end <= start) {
    return absl::InvalidArgumentError(
        "session.end_time: must be after start_time");
  }
  if (in.venue().size() > kMaxVenueBytes) {
    return absl::InvalidArgumentError("session.venue: at most 200 characters");
  }
  RECIP_RETURN_IF_ERROR(
      CheckFreeText("session.venue", in.venue(), TextLines::kOne));
  if (in.venue().empty() == !in.online()) {
    return absl::InvalidArgumentError(
        "session.venue: give a venue, or mark the session online (not both)");
  }
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Session>(
      store_, caller, "CreateSession", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Session> {
        v1::Session s;
        // Only the fields a caller may set; the rest are output only.
        s.set_project(in.project());
        s.set_date(in.date());
        s.set_start_time(in.start_time());
        s.set_end_time(in.end_time());
        s.set_venue(in.venue());
        s.set_online(in.online());
        s.set_state(v1::SESSION_STATE_SCHEDULED);
        s.set_creche_provided(creche);
        s.set_created_by(caller.id);
        *s.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(now);
        store::SessionRow row;
        row.area_id = project.area_id;
        row.project_id = project.project_id;
        row.session_date = s.date();
        row.creche_provided = s.creche_provided();
        row.create_time_micros = now;
        row.body = s.SerializeAsString();
        RECIP_ASSIGN_OR_RETURN(int64_t id, tx.InsertSession(row));
        s.set_name(SessionName(id));
        return s;
      });
}

absl::StatusOr<v1::Session> ProgrammeService::GetSession(
    const Principal& caller, const v1::GetSessionRequest& request) {
  RECIP_ASSIGN_OR_RETURN(int64_t id, ParseSessionName("name", request.name()));
  v1::Session out;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        auto row = tx.GetSession(id);
        if (absl::IsNotFound(row.status())) {
          return MissingRecord(caller, request.name());
        }
        if (!row.ok()) return row.status();
        RECIP_RETURN_IF_ERROR(MayReadSession(tx, caller, *row));
        RECIP_ASSIGN_OR_RETURN(out, SessionFromRow(*row));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<v1::ListSessionsResponse> ProgrammeService::ListSessions(
    const Principal& caller, const v1::ListSessionsRequest& request) {
  const std::string kind = ListingKind("sessions", request);
  store::ProgrammeFilter filter;
  RECIP_ASSIGN_OR_RETURN(filter.limit, PageLimit(request.page_size()));
  RECIP_ASSIGN_OR_RETURN(filter.after_id,
                         ParseIdPageToken(kind, request.page_token()));
  if (!request.project().empty()) {
    RECIP_ASSIGN_OR_RETURN(ProjectName project,
                           ParseProjectName("project", request.project()));
    filter.area_id = project.area_id;
    filter.project_id = project.project_id;
  }
  if (!request.date_from().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDateField("date_from", request.date_from()).status());
    filter.date_from = request.date_from();
  }
  if (!request.date_to().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDateField("date_to", request.date_to()).status());
    filter.date_to = request.date_to();
  }
  // Staff see their areas' sessions, participants the ones they attended.
  if (IsStaff(caller) && !filter.area_id.empty() &&
      !caller.ActsIn(filter.area_id)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "project: you do not act in service area ", filter.area_id));
  }
  RECIP_RETURN_IF_ERROR(
      NarrowToCallerScope(caller, filter.participant_id, filter.area_ids_in));
  v1::ListSessionsResponse response;
  RECIP_RETURN_IF_ERROR((ReadPage<store::SessionRow, v1::Session>(
      store_, filter.limit, kind,
      [&](store::ReadTransaction& tx) { return tx.ListSessions(filter); },
      SessionFromRow, IdKey<store::SessionRow>, response.mutable_sessions(),
      response.mutable_next_page_token())));
  return response;
}

absl::StatusOr<v1::Agreement> ProgrammeService::CreateAgreement(
    const Principal& caller, const v1::CreateAgreementRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  const v1::Agreement& in = request.agreement();
  if (in.session().empty() || !in.project().empty() ||
      !in.date_from().empty() || !in.date_to().empty()) {
    return CreateStandingAgreement(caller, request);  // standing_agreements.cc
  }
  RECIP_ASSIGN_OR_RETURN(
      std::string participant_id,
      ParseParticipantName("agreement.participant", in.participant()));
  RECIP_ASSIGN_OR_RETURN(int64_t session_id,
                         ParseSessionName("agreement.session", in.session()));
  RECIP_RETURN_IF_ERROR(ValidateAgreementTerms(in));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Agreement>(
      store_, caller, "CreateAgreement", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Agreement> {
        RECIP_ASSIGN_OR_RETURN(
            store::SessionRow session,
            FindSessionForOfficer(tx, caller, "agreement.session", in.session(),
                                  session_id));
        RECIP_RETURN_IF_ERROR(
            FindActiveParticipant(tx, "agreement.participant", participant_id)
                .status());
        v1::Agreement a = in;
        a.clear_name();
        a.set_agreed_by(caller.id);
        // Made after the day of the session: kept, as a retrospective
        // approval, and said so wherever it is described.
        a.set_retrospective(policy::FormatIsoDate(clock_.TodayInLondon()) >
                            session.session_date);
        *a.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(now);
        RECIP_RETURN_IF_ERROR(InsertAgreement(tx, participant_id, session_id,
                                              session.area_id, now, a));
        return a;
      });
}

absl::StatusOr<v1::ListAgreementsResponse> ProgrammeService::ListAgreements(
    const Principal& caller, const v1::ListAgreementsRequest& request) {
  const std::string kind = ListingKind("agreements", request);
  store::ProgrammeFilter filter;
  RECIP_ASSIGN_OR_RETURN(filter.limit, PageLimit(request.page_size()));
  RECIP_ASSIGN_OR_RETURN(filter.after_id,
                         ParseIdPageToken(kind, request.page_token()));
  if (!request.participant().empty()) {
    RECIP_ASSIGN_OR_RETURN(
        filter.participant_id,
        ParseParticipantName("participant", request.participant()));
  }
  if (!request.session().empty()) {
    RECIP_ASSIGN_OR_RETURN(filter.session_id,
                           ParseSessionName("session", request.session()));
  }
  RECIP_RETURN_IF_ERROR(
      NarrowToCallerScope(caller, filter.participant_id, filter.area_ids_in));
  v1::ListAgreementsResponse response;
  RECIP_RETURN_IF_ERROR((ReadPage<store::AgreementRow, v1::Agreement>(
      store_, filter.limit, kind,
      [&](store::ReadTransaction& tx) { return tx.ListAgreements(filter); },
      AgreementFromRow, IdKey<store::AgreementRow>,
      response.mutable_agreements(), response.mutable_next_page_token())));
  return response;
}

}  // namespace reciprocity
