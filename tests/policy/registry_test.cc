// The registry: loading a directory of rule files and reloading it.
#include "policy/registry.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/policy/policy_test_util.h"
#include "tests/util/status_matchers.h"

namespace reciprocity::policy {
namespace {

namespace fs = std::filesystem;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// A scratch copy of the shipped rule directory.
class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& entry : fs::directory_iterator(testing::AreasDir())) {
      fs::copy_file(entry.path(), dir_ / entry.path().filename());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc) << content;
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

TEST_F(RegistryTest, LoadsEveryRuleFile) {
  Write("README.md", "not a rule file");
  auto registry = PolicyRegistry::LoadDirectory(dir_.string());
  ASSERT_THAT(registry, IsOk());
  const auto all = (*registry)->All();
  ASSERT_THAT(all, SizeIs(3));
  EXPECT_EQ(all[0]->area_id(), "adult-social-care");
  EXPECT_EQ(all[1]->area_id(), "children-and-families");
  EXPECT_EQ(all[2]->area_id(), "strategy-and-commissioning");
  EXPECT_NE((*registry)->Find("children-and-families"), nullptr);
  EXPECT_EQ((*registry)->Find("nope"), nullptr);
  EXPECT_EQ((*registry)->directory(), dir_.string());
}

TEST_F(RegistryTest, RefusesToStartOnAnInvalidFileNamingIt) {
  Write("broken.textproto", "display_name: \"B\"\nprojects {\n");
  EXPECT_THAT(
      PolicyRegistry::LoadDirectory(dir_.string()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               StartsWith((dir_ / "broken.textproto").string() + ":3:1: ")));
}

TEST_F(RegistryTest, RefusesAnEmptyOrMissingDirectory) {
  fs::path empty = dir_ / "empty";
  fs::create_directories(empty);
  EXPECT_THAT(
      PolicyRegistry::LoadDirectory(empty.string()),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("no rule files")));
  EXPECT_THAT(PolicyRegistry::LoadDirectory((dir_ / "missing").string()),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RegistryTest, ReloadKeepsTheOldVersionWhenAFileIsBroken) {
  auto registry = PolicyRegistry::LoadDirectory(dir_.string());
  ASSERT_THAT(registry, IsOk());
  const std::string old_version =
      (*registry)->Find("adult-social-care")->version();
  Write("adult-social-care.textproto",
        Read("adult-social-care.textproto") +
            "overrides { project_id: \"nobody\" travel { } }\n");
  const ReloadResult result = (*registry)->Reload();
  ASSERT_THAT(result.errors, SizeIs(1));
  EXPECT_THAT(result.errors[0], HasSubstr("adult-social-care.textproto:"));
  EXPECT_THAT(result.errors[0],
              HasSubstr("overrides[1].project_id: no project \"nobody\""));
  EXPECT_THAT(result.loaded_versions, IsEmpty());
  EXPECT_THAT(result.unchanged_versions, SizeIs(2));
  EXPECT_EQ((*registry)->Find("adult-social-care")->version(), old_version);
}

TEST_F(RegistryTest, ReloadTakesChangedAndNewFiles) {
  auto registry = PolicyRegistry::LoadDirectory(dir_.string());
  ASSERT_THAT(registry, IsOk());
  const auto old_policy = (*registry)->Find("children-and-families");
  Write("children-and-families.textproto",
        Read("children-and-families.textproto") + "# changed\n");
  fs::copy_file(dir_ / "adult-social-care.textproto",
                dir_ / "public-health.textproto");
  const ReloadResult result = (*registry)->Reload();
  EXPECT_THAT(result.errors, IsEmpty());
  ASSERT_THAT(result.loaded_versions, SizeIs(2));
  EXPECT_THAT(result.unchanged_versions, SizeIs(2));
  const auto new_policy = (*registry)->Find("children-and-families");
  EXPECT_NE(new_policy->version(), old_policy->version());
  EXPECT_THAT(new_policy->version(), StartsWith("children-and-families@"));
  // A decision made with the old policy can still use it.
  EXPECT_THAT(old_policy->content(), Not(HasSubstr("# changed")));
  EXPECT_NE((*registry)->Find("public-health"), nullptr);
}

TEST_F(RegistryTest, ReloadKeepsAreasWhoseFileWasRemoved) {
  auto registry = PolicyRegistry::LoadDirectory(dir_.string());
  ASSERT_THAT(registry, IsOk());
  fs::remove(dir_ / "strategy-and-commissioning.textproto");
  const ReloadResult result = (*registry)->Reload();
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_NE((*registry)->Find("strategy-and-commissioning"), nullptr);
}

}  // namespace
}  // namespace reciprocity::policy
