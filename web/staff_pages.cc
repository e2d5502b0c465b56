#include "web/staff_pages.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "base/clock.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"

namespace reciprocity::web {

std::string TodayText() {
  return absl::FormatCivilTime(SystemClock().TodayInLondon());
}

grpc::Status AreaRows(Call& call, Data* rows) {
  auto stub = v1::PolicyService::NewStub(call.app().channel());
  v1::ListServiceAreasRequest request;
  request.set_page_size(100);
  v1::ListServiceAreasResponse areas;
  grpc::Status s =
      stub->ListServiceAreas(call.Context().get(), request, &areas);
  for (const v1::ServiceArea& a : areas.service_areas()) {
    Data row;
    row.set("id", IdOf(a.name()));
    row.set("label",
            a.display_name().empty() ? IdOf(a.name()) : a.display_name());
    row.set("version", a.policy_version());
    row.set("projects", absl::StrCat(a.project_count()));
    row.set("selected", IdOf(a.name()) == call.Param("area"));
    rows->push_back(row);
  }
  return s;
}

void ShowForm(Call& call, const std::string& title, const char* body_template,
              Data page, const grpc::Status& refused, int http_status) {
  if (!refused.ok()) return call.Failed(refused, title, body_template, page);
  call.Page(title, body_template, page, http_status);
}

}  // namespace reciprocity::web
