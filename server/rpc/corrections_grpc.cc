// The gRPC handlers for corrections: sessions changed or cancelled,
// attendance listed, corrected or removed, vouchers flagged by a correction
// decided, claims amended.
#include "absl/strings/str_cat.h"
#include "server/rpc/grpc_services.h"

namespace reciprocity {
namespace {

constexpr absl::string_view kClaims = "/reciprocity.v1.ClaimService/";
constexpr absl::string_view kProgramme = "/reciprocity.v1.ProgrammeService/";

}  // namespace

grpc::Status ClaimGrpcService::AmendClaim(grpc::ServerContext* context,
                                          const v1::AmendClaimRequest* request,
                                          v1::Claim* response) {
  return RECIP_HANDLE(kClaims, AmendClaim, request->request_id(),
                      Assign(claims_.Amend(caller, *request), response));
}

grpc::Status ProgrammeGrpcService::UpdateSession(
    grpc::ServerContext* context, const v1::UpdateSessionRequest* request,
    v1::Session* response) {
  return RECIP_HANDLE(
      kProgramme, UpdateSession, request->request_id(),
      Assign(programme_.UpdateSession(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::CancelSession(
    grpc::ServerContext* context, const v1::CancelSessionRequest* request,
    v1::Session* response) {
  return RECIP_HANDLE(
      kProgramme, CancelSession, request->request_id(),
      Assign(programme_.CancelSession(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::UpdateAttendance(
    grpc::ServerContext* context, const v1::UpdateAttendanceRequest* request,
    v1::Attendance* response) {
  return RECIP_HANDLE(
      kProgramme, UpdateAttendance, request->request_id(),
      Assign(programme_.UpdateAttendance(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::DeleteAttendance(
    grpc::ServerContext* context, const v1::DeleteAttendanceRequest* request,
    v1::Attendance* response) {
  return RECIP_HANDLE(
      kProgramme, DeleteAttendance, request->request_id(),
      Assign(programme_.DeleteAttendance(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::ListAttendances(
    grpc::ServerContext* context, const v1::ListAttendancesRequest* request,
    v1::ListAttendancesResponse* response) {
  return RECIP_HANDLE(
      kProgramme, ListAttendances, "",
      Assign(programme_.ListAttendances(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::DecideVoucher(
    grpc::ServerContext* context, const v1::DecideVoucherRequest* request,
    v1::VoucherEntitlement* response) {
  return RECIP_HANDLE(
      kProgramme, DecideVoucher, request->request_id(),
      Assign(programme_.DecideVoucher(caller, *request), response));
}

}  // namespace reciprocity
