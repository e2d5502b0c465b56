// The ways to be paid as the web's forms offer them, in the words of the
// participant's own page and of someone acting for them, and the one call
// that changes a person's choice.
#ifndef RECIPROCITY_WEB_PAYMENT_CHOICE_H_
#define RECIPROCITY_WEB_PAYMENT_CHOICE_H_

#include <string>

#include "absl/types/span.h"
#include "reciprocity/v1/programme.pb.h"
#include "web/app.h"

namespace reciprocity::web {

struct PaymentChoice {
  v1::PaymentMethod method;
  const char* value;        // the form's value: "bank"
  const char* label;        // to the participant: "I do not want to be paid"
  const char* their_label;  // to someone acting for them
  const char* hint;         // to the participant, under the label
};

// Every choice, in the order the forms show them.
absl::Span<const PaymentChoice> PaymentChoices();

// The choice for `method`, or nullptr (not chosen yet).
const PaymentChoice* PaymentChoiceFor(v1::PaymentMethod method);

// The choice the form's "pay" names, or nullptr.
const PaymentChoice* ChosenPayment(Call& call);

// Sets, as the visitor, how `participant` ("participants/p-0001") is paid,
// with the form's request_id.
grpc::Status SetPaymentPreference(Call& call, const std::string& participant,
                                  v1::PaymentMethod method,
                                  v1::Participant* updated);

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_PAYMENT_CHOICE_H_
