#include "web/payment_choice.h"

#include "client/connection.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::web {
namespace {

constexpr PaymentChoice kChoices[] = {
    {v1::PAYMENT_METHOD_BANK_TRANSFER, "bank", "Bank transfer", "Bank transfer",
     "We put the money in your bank."},
    {v1::PAYMENT_METHOD_VOUCHER, "voucher", "Supermarket voucher",
     "Supermarket voucher",
     "We give you a voucher to spend in a big food shop."},
    {v1::PAYMENT_METHOD_CASH_ON_THE_DAY, "cash", "Cash on the day",
     "Cash on the day", "We give you the cash at the meeting."},
    {v1::PAYMENT_METHOD_DECLINE, "decline", "I do not want to be paid",
     "They do not want to be paid",
     "We will not pay you for costs, and you will not get vouchers for "
     "coming. We still keep a note of each claim. You can change your mind "
     "at any time."},
};

}  // namespace

absl::Span<const PaymentChoice> PaymentChoices() { return kChoices; }

const PaymentChoice* PaymentChoiceFor(v1::PaymentMethod method) {
  for (const PaymentChoice& choice : kChoices) {
    if (choice.method == method) return &choice;
  }
  return nullptr;
}

const PaymentChoice* ChosenPayment(Call& call) {
  for (const PaymentChoice& choice : kChoices) {
    if (call.Param("pay") == choice.value) return &choice;
  }
  return nullptr;
}

grpc::Status SetPaymentPreference(Call& call, const std::string& participant,
                                  v1::PaymentMethod method,
                                  v1::Participant* updated) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::UpdateParticipantRequest request;
  request.mutable_participant()->set_name(participant);
  request.mutable_participant()->set_payment_preference(method);
  request.mutable_update_mask()->add_paths("payment_preference");
  request.set_request_id(call.Param("request_id"));
  return stub->UpdateParticipant(call.Context().get(), request, updated);
}

}  // namespace reciprocity::web
