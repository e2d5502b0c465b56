// The payment-file CSV writer on its own: money formatting, RFC 4180
// quoting, grouping by payee and chunking.
#include "server/domain/export.h"

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reciprocity {
namespace {

using ::testing::SizeIs;

// A writer that appends every chunk to `file`.
CsvChunkWriter CollectInto(std::string& file) {
  return CsvChunkWriter(1 << 20, [&file](const std::string& chunk) {
    file += chunk;
    return true;
  });
}

TEST(PoundsTextTest, FormatsPenceExactly) {
  EXPECT_EQ(PoundsText(0), "0.00");
  EXPECT_EQ(PoundsText(5), "0.05");
  EXPECT_EQ(PoundsText(320), "3.20");
  EXPECT_EQ(PoundsText(123456789), "1234567.89");
  EXPECT_EQ(PoundsText(-5), "-0.05");
  EXPECT_EQ(PoundsText(INT64_MAX), "92233720368547758.07");
}

TEST(CsvFieldTest, QuotesOnlyWhenRfc4180Requires) {
  EXPECT_EQ(CsvField("p-0001"), "p-0001");
  EXPECT_EQ(CsvField("Smith, J"), "\"Smith, J\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST(PaymentFileBuilderTest, OneRowPerPayeeAndCostCentreThenControlTotal) {
  std::string file;
  CsvChunkWriter out = CollectInto(file);
  PaymentFileBuilder builder(PaymentFileBuilder::Kind::kPayments, 7, out);
  builder.Add({"BANK_TRANSFER", "a,b", "CC-1", "", 1, 100});
  builder.Add({"BANK_TRANSFER", "a,b", "CC-1", "", 4, 250});
  builder.Add({"BANK_TRANSFER", "a,b", "CC-2", "", 5, 1});
  builder.Add({"BANK_TRANSFER", "p-2", "CC-1", "", 2, 320});
  ASSERT_TRUE(builder.Finish());
  ASSERT_TRUE(out.Finish());
  EXPECT_EQ(file,
            "batch_id,payee_reference,payment_method,cost_centre,amount,"
            "claim_references\r\n"
            "7,\"a,b\",BANK_TRANSFER,CC-1,3.50,claims/1 claims/4\r\n"
            "7,\"a,b\",BANK_TRANSFER,CC-2,0.01,claims/5\r\n"
            "7,p-2,BANK_TRANSFER,CC-1,3.20,claims/2\r\n"
            "7,CONTROL TOTAL,,,6.71,3 rows\r\n");
  EXPECT_EQ(builder.row_count(), 3);
  EXPECT_EQ(builder.total_pence(), 671);
}

TEST(PaymentFileBuilderTest, VoucherListNamesTheProvider) {
  std::string file;
  CsvChunkWriter out = CollectInto(file);
  PaymentFileBuilder builder(PaymentFileBuilder::Kind::kVouchers, 3, out);
  builder.Add({"VOUCHER", "p-1", "CC-1", "Tesco", 9, 1000});
  ASSERT_TRUE(builder.Finish());
  ASSERT_TRUE(out.Finish());
  EXPECT_EQ(file,
            "batch_id,participant_reference,value,provider,cost_centre,"
            "claim_references\r\n"
            "3,p-1,10.00,Tesco,CC-1,claims/9\r\n"
            "3,CONTROL TOTAL,10.00,,,1 row\r\n");
}

TEST(PaymentFileBuilderTest, AuditHeadIsASixFieldRowAfterTheControlTotal) {
  for (auto kind : {PaymentFileBuilder::Kind::kPayments,
                    PaymentFileBuilder::Kind::kVouchers}) {
    std::string file;
    CsvChunkWriter out = CollectInto(file);
    PaymentFileBuilder builder(kind, 4, out);
    builder.Add({"BANK_TRANSFER", "p-1", "CC-1", "", 2, 320});
    ASSERT_TRUE(builder.Finish("12:abc"));
    ASSERT_TRUE(out.Finish());
    EXPECT_TRUE(
        absl::EndsWith(file, "1 row\r\n4,AUDIT CHAIN HEAD,,,,12:abc\r\n"))
        << file;
    // The head is not money: totals are unchanged.
    EXPECT_EQ(builder.row_count(), 1);
    EXPECT_EQ(builder.total_pence(), 320);
  }
}

TEST(CsvChunkWriterTest, HandsOverChunksAndStopsWhenTheReaderGoes) {
  std::vector<std::string> chunks;
  CsvChunkWriter out(10, [&](const std::string& chunk) {
    chunks.push_back(chunk);
    return chunks.size() < 2;
  });
  EXPECT_TRUE(out.AddRow({"0123456789"}));
  EXPECT_THAT(chunks, SizeIs(1));
  EXPECT_FALSE(out.AddRow({"0123456789"}));
  EXPECT_FALSE(out.AddRow({"x"}));
  EXPECT_FALSE(out.Finish());
  EXPECT_THAT(chunks, SizeIs(2));
}

TEST(Sha256StreamTest, MatchesTheKnownDigest) {
  Sha256Stream digest;
  digest.Update("ab");
  digest.Update("c");
  EXPECT_EQ(digest.HexDigest(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace reciprocity
