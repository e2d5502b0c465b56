// Free text over a real server: control characters (line breaks, NUL, ESC,
// C1 controls) are refused in every free-text field, except line breaks in
// notes, reasons and comments.
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/programme_fixture.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::AllOf;
using ::testing::HasSubstr;
namespace t = ::reciprocity::testing;

// Control characters in free text would reach other people's screens: an
// escape sequence in a name could repaint an officer's terminal. They are
// refused in every free-text field, except line breaks where a paragraph
// makes sense (notes, reasons, comments).
class FreeTextTest : public t::ProgrammeTest {
 protected:
  grpc::Status CreateWithName(const std::string& name,
                              const std::string& contact = "") {
    v1::CreateParticipantRequest request;
    request.mutable_participant()->set_participant_type(
        v1::PARTICIPANT_TYPE_RESIDENT);
    request.mutable_participant()->set_payment_preference(
        v1::PAYMENT_METHOD_BANK_TRANSFER);
    request.mutable_participant()->set_display_name(name);
    request.mutable_participant()->set_contact(contact);
    request.set_request_id(NextId());
    v1::Participant out;
    return server_.programme().CreateParticipant(
        TestServer::As(t::kOfficerAsc).get(), request, &out);
  }
  grpc::Status CreateWithVenue(const std::string& venue) {
    v1::CreateSessionRequest request;
    request.mutable_session()->set_project(t::kLdUserVoice);
    request.mutable_session()->set_date("2026-11-18");
    request.mutable_session()->set_start_time("10:00");
    request.mutable_session()->set_end_time("12:00");
    request.mutable_session()->set_venue(venue);
    request.set_request_id(NextId());
    v1::Session out;
    return server_.programme().CreateSession(
        TestServer::As(t::kOfficerAsc).get(), request, &out);
  }
  grpc::Status AgreeWithNote(const std::string& session,
                             const std::string& note) {
    v1::CreateAgreementRequest request;
    request.mutable_agreement()->set_participant("participants/p-0001");
    request.mutable_agreement()->set_session(session);
    request.mutable_agreement()->set_category(v1::EXPENSE_CATEGORY_TAXI);
    request.mutable_agreement()->set_note(note);
    request.set_request_id(NextId());
    v1::Agreement out;
    return server_.programme().CreateAgreement(
        TestServer::As(t::kOfficerAsc).get(), request, &out);
  }
  grpc::Status SubmitWithDescription(const std::string& description) {
    v1::Claim claim = t::BusFareClaim();
    claim.mutable_lines(0)->set_description(description);
    v1::Claim out;
    return Submit(t::kParticipant1, claim, &out);
  }
  grpc::Status Review(const std::string& claim, const std::string& reason) {
    v1::ReviewClaimLineRequest request;
    request.set_name(claim);
    request.set_approve(true);
    request.set_reason(reason);
    request.set_request_id(NextId());
    v1::Claim out;
    return server_.claims().ReviewClaimLine(
        TestServer::As(t::kOfficerAsc).get(), request, &out);
  }
};

MATCHER_P(RefusesField, field, "") {
  return ::testing::ExplainMatchResult(
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr(field), HasSubstr("control characters"))),
      arg, result_listener);
}

TEST_F(FreeTextTest, ControlCharactersAreRefusedInNamesAndPlaces) {
  const std::string kControls[] = {
      "Sam\x1b[2J",                  // ESC: clears the screen
      "Sam\nJones",                  // a line break in a name
      std::string("Sam\0Jones", 9),  // NUL
      "Sam\rJones",                  // carriage return
      "Sam\tJones",                  // tab
      "Sam\x7f",                     // DEL
      "Sam\xc2\x9b"
      "31m",  // U+009B, a C1 control (CSI)
  };
  for (const std::string& text : kControls) {
    EXPECT_THAT(CreateWithName(text), RefusesField("participant.display_name"))
        << absl::CEscape(text);
    EXPECT_THAT(CreateWithName("Sam", text),
                RefusesField("participant.contact"))
        << absl::CEscape(text);
    EXPECT_THAT(CreateWithVenue(text), RefusesField("session.venue"))
        << absl::CEscape(text);
    EXPECT_THAT(SubmitWithDescription(text),
                RefusesField("claim.lines[0].description"))
        << absl::CEscape(text);
  }
  v1::UpdateParticipantRequest update;
  update.mutable_participant()->set_name("participants/p-0001");
  update.mutable_participant()->set_display_name("Sam\x1b]0;owned\x07");
  update.mutable_update_mask()->add_paths("display_name");
  update.set_request_id(NextId());
  v1::Participant updated;
  EXPECT_THAT(server_.programme().UpdateParticipant(
                  TestServer::As(t::kOfficerAsc).get(), update, &updated),
              RefusesField("participant.display_name"));
  v1::PreviewClaimRequest preview;
  *preview.mutable_claim() = t::BusFareClaim();
  preview.mutable_claim()->mutable_lines(0)->set_description("Bus\x1b[31m");
  v1::PreviewClaimResponse previewed;
  EXPECT_THAT(server_.claims().PreviewClaim(
                  TestServer::As(t::kParticipant1).get(), preview, &previewed),
              RefusesField("claim.lines[0].description"));
  // Letters from any language are text, not control characters.
  EXPECT_THAT(CreateWithName("Zoë O'Brien-Ng \xe5\xbc\xa0"), IsOk());
}

TEST_F(FreeTextTest, NotesReasonsAndCommentsMayBreakLinesButNothingElse) {
  const std::string session =
      MustCreateSession(t::kOfficerAsc, t::kLdUserVoice);
  EXPECT_THAT(AgreeWithNote(session, "Agreed by phone.\x1b[8m"),
              RefusesField("agreement.note"));
  EXPECT_THAT(AgreeWithNote(session, "Agreed by phone.\nNo bus on Sundays."),
              IsOk());

  v1::Claim taxi = t::BusFareClaim();
  taxi.mutable_lines(0)->set_category(v1::EXPENSE_CATEGORY_TAXI);
  taxi.mutable_lines(0)->set_amount_pence(1500);
  const v1::Claim claim = MustSubmit(t::kParticipant1, taxi);
  ASSERT_EQ(claim.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_THAT(Review(claim.name(), std::string("Checked\0", 8)),
              RefusesField("reason"));
  EXPECT_THAT(Review(claim.name(), "Checked.\r\nThe lift was broken."),
              RefusesField("reason"));
  EXPECT_THAT(Review(claim.name(), "Checked.\nThe lift was broken."), IsOk());

  v1::AppealClaimLineRequest appeal;
  appeal.set_name(claim.name());
  appeal.set_comment("Please look again\x1b[2J");
  appeal.set_request_id(NextId());
  v1::Claim appealed;
  EXPECT_THAT(server_.claims().AppealClaimLine(
                  TestServer::As(t::kParticipant1).get(), appeal, &appealed),
              RefusesField("comment"));
}

}  // namespace
}  // namespace reciprocity
