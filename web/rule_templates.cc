// The HTML of the rules, "try a change to the rules" and "check a voucher
// bill" pages. Both forms are multipart, so a file can be chosen without
// JavaScript; what was pasted or chosen is shown again in the box. Words
// are short and everyday (Flesch reading ease above 95).
#include "web/staff_pages.h"

namespace reciprocity::web::tmpl {

const char kRules[] = R"html(
<p>Each area has one file of rules. It says what we pay, and when. You can try a change to the rules first. Then you see what it would do to the claims we have now. Nothing is saved.</p>
{{#has_areas}}
<table>
<thead><tr><th scope="col">Area</th><th scope="col">Rules in use now</th><th scope="col">Groups</th><th scope="col">Try a change</th></tr></thead>
<tbody>
{{#areas}}<tr><td data-label="Area">{{label}}</td><td data-label="Rules in use now">{{version}}</td><td data-label="Groups">{{projects}}</td><td data-label="Try a change"><a href="/rules/whatif?area={{id}}">Try a change to the rules of {{label}}</a></td></tr>{{/areas}}
</tbody>
</table>
{{/has_areas}}
{{^has_areas}}<p>No rules are loaded.</p>{{/has_areas}}
)html";

const char kWhatIf[] = R"html(
<p>See what new rules would do to the claims we have now. We judge the claims again with the new rules. Nothing is saved, and the rules in use stay as they are.</p>
<form method="post" action="/rules/whatif" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="area">Area</label>
{{#area_error}}<span class="error" id="area-error">Error: {{area_error}}</span>{{/area_error}}
<select id="area" name="area" {{#area_error}}aria-describedby="area-error"{{/area_error}}>
{{#areas}}<option value="{{id}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/areas}}
</select>
<label for="rules">The new rules
<span class="hint" id="rules-hint">Paste the whole file here, or choose it below.{{#from_file}} We put the file you chose in this box.{{/from_file}}</span></label>
{{#rules_error}}<span class="error" id="rules-error">Error: {{rules_error}}</span>{{/rules_error}}
{{#rules_line}}<span class="quoted-line" id="rules-line">{{rules_line}}</span>{{/rules_line}}
<textarea class="file-text" id="rules" name="rules" rows="14" spellcheck="false" aria-describedby="rules-hint{{#rules_error}} rules-error{{/rules_error}}{{#rules_line}} rules-line{{/rules_line}}">{{rules}}</textarea>
<label for="rules_file">Or choose the file</label>
{{#rules_file_error}}<span class="error" id="rules_file-error">Error: {{rules_file_error}}</span>{{/rules_file_error}}
<input type="file" id="rules_file" name="rules_file" accept=".textproto,.txt,text/plain" {{#rules_file_error}}aria-describedby="rules_file-error"{{/rules_file_error}}>
<label for="date_from">Meetings from
<span class="hint" id="date_from-hint">For example 2026-04-01.</span></label>
{{#date_from_error}}<span class="error" id="date_from-error">Error: {{date_from_error}}</span>{{/date_from_error}}
<input type="date" id="date_from" name="date_from" value="{{date_from}}" aria-describedby="date_from-hint{{#date_from_error}} date_from-error{{/date_from_error}}">
<label for="date_to">Meetings to
<span class="hint" id="date_to-hint">Up to three years after the first day.</span></label>
{{#date_to_error}}<span class="error" id="date_to-error">Error: {{date_to_error}}</span>{{/date_to_error}}
<input type="date" id="date_to" name="date_to" value="{{date_to}}" aria-describedby="date_to-hint{{#date_to_error}} date_to-error{{/date_to_error}}">
<button type="submit">Try the new rules</button>
</form>
{{#report}}
<section aria-labelledby="result">
<h2 id="result">What the new rules would do</h2>
<p>Nothing is saved. This is for meetings from {{from}} to {{to}}.</p>
{{#same_rules}}<p>The new rules are the same as the rules in use now.</p>{{/same_rules}}
<ul>
<li>We judged {{replayed}} claims again. {{changed}} would change ({{lines}}).</li>
<li>Now we pay {{allowed}}. With the new rules we would pay {{draft_allowed}}. That is a change of {{difference}}.</li>
<li>Change to the money we count against budgets: {{committed_change}}.</li>
</ul>
<p class="hint">Rules in use now: {{version}}. New rules: {{draft_version}}.</p>
<h3>Each group's budget</h3>
<p>We count claims that are approved, in a batch or paid.</p>
<table class="many">
<thead><tr><th scope="col">Group</th><th scope="col">Year from</th><th scope="col" class="money">Budget now</th><th scope="col" class="money">Budget in the new rules</th><th scope="col" class="money">Counted now</th><th scope="col" class="money">Counted with the new rules</th><th scope="col" class="money">Claims that change</th>{{#more_headers}}<th scope="col" class="money">{{.}}</th>{{/more_headers}}</tr></thead>
<tbody>
{{#budgets}}<tr><td data-label="Group">{{project}}</td><td data-label="Year from">{{year}}</td><td class="money" data-label="Budget now">{{budget}}</td><td class="money" data-label="Budget in the new rules">{{draft_budget}}</td><td class="money" data-label="Counted now">{{committed}}</td><td class="money" data-label="Counted with the new rules">{{draft_committed}}</td><td class="money" data-label="Claims that change">{{changed}}</td>{{#more}}<td class="money" data-label="{{label}}">{{value}}</td>{{/more}}</tr>{{/budgets}}
</tbody>
</table>
<h3>Claims that would change</h3>
{{#has_changes}}
{{#claims}}
<div class="card">
<h4>Claim {{id}}: {{project}}, meeting on {{date}}</h4>
<p>Stored as: {{stored}}. Now: {{now}} ({{state}}). With the new rules: {{draft}} ({{draft_state}}). Change to the budget: {{budget_change}}.</p>
<table>
<thead><tr><th scope="col">Line</th><th scope="col">Now</th><th scope="col">With the new rules</th></tr></thead>
<tbody>
{{#lines}}<tr><td data-label="Line">{{number}}. {{what}}</td><td data-label="Now">{{now}}</td><td data-label="With the new rules">{{draft}}</td></tr>{{/lines}}
</tbody>
</table>
</div>
{{/claims}}
{{#not_listed}}<p>{{not_listed}} more claims would change. They are not listed here.</p>{{/not_listed}}
{{/has_changes}}
{{^has_changes}}<p>No claim would change.</p>{{/has_changes}}
</section>
{{/report}}
)html";

const char kVoucherBill[] = R"html(
<p>Check the bill from a shop for the vouchers we gave out. We list each voucher that does not match. Nothing is saved.</p>
<form method="post" action="/finance/vouchers/bill" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="provider">Shop
<span class="hint" id="provider-hint">For example Tesco.{{#providers}} We gave out vouchers for: {{providers}}.{{/providers}}</span></label>
{{#provider_error}}<span class="error" id="provider-error">Error: {{provider_error}}</span>{{/provider_error}}
<input type="text" id="provider" name="provider" value="{{provider}}" aria-describedby="provider-hint{{#provider_error}} provider-error{{/provider_error}}">
<label for="bill">The bill
<span class="hint" id="bill-hint">Paste it here, or choose the file below. The first line is serial,value,date. Then one line for each voucher, like TS-001,10.00,2026-11-20.{{#from_file}} We put the file you chose in this box.{{/from_file}}</span></label>
{{#bill_error}}<span class="error" id="bill-error">Error: {{bill_error}}</span>{{/bill_error}}
{{#bill_line}}<span class="quoted-line" id="bill-line">{{bill_line}}</span>{{/bill_line}}
<textarea class="file-text" id="bill" name="bill" rows="10" spellcheck="false" aria-describedby="bill-hint{{#bill_error}} bill-error{{/bill_error}}{{#bill_line}} bill-line{{/bill_line}}">{{bill}}</textarea>
<label for="bill_file">Or choose the file</label>
<input type="file" id="bill_file" name="bill_file" accept=".csv,text/csv,text/plain">
<label for="area">Area</label>
{{#area_error}}<span class="error" id="area-error">Error: {{area_error}}</span>{{/area_error}}
<select id="area" name="area" {{#area_error}}aria-describedby="area-error"{{/area_error}}>
<option value="">All areas</option>
{{#areas}}<option value="{{id}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/areas}}
</select>
<label for="issued_from">Given out from
<span class="hint" id="issued_from-hint">The first day the bill is for. Leave it empty for no first day.</span></label>
{{#issued_from_error}}<span class="error" id="issued_from-error">Error: {{issued_from_error}}</span>{{/issued_from_error}}
<input type="date" id="issued_from" name="issued_from" value="{{issued_from}}" aria-describedby="issued_from-hint{{#issued_from_error}} issued_from-error{{/issued_from_error}}">
<label for="issued_to">Given out to
<span class="hint" id="issued_to-hint">The last day the bill is for. Leave it empty for no last day.</span></label>
{{#issued_to_error}}<span class="error" id="issued_to-error">Error: {{issued_to_error}}</span>{{/issued_to_error}}
<input type="date" id="issued_to" name="issued_to" value="{{issued_to}}" aria-describedby="issued_to-hint{{#issued_to_error}} issued_to-error{{/issued_to_error}}">
<button type="submit">Check the bill</button>
</form>
{{#result}}
<section aria-labelledby="result">
<h2 id="result">What we found</h2>
<ul>
<li>The bill from {{provider}} has {{rows}}. They come to {{billed}}.</li>
<li>We gave out {{issued}} for {{provider}} in this time. They come to {{issued_total}}.</li>
<li>{{matched}} match. {{count}} do not.</li>
</ul>
{{#has_differences}}
<table>
<thead><tr><th scope="col">Voucher</th><th scope="col">What is wrong</th><th scope="col" class="money">On the bill</th><th scope="col" class="money">We gave out</th><th scope="col">Line of the bill</th><th scope="col">More</th></tr></thead>
<tbody>
{{#differences}}<tr><td data-label="Voucher">{{serial}}</td><td data-label="What is wrong"><strong>{{kind}}</strong></td><td class="money" data-label="On the bill">{{billed}}</td><td class="money" data-label="We gave out">{{given}}</td><td data-label="Line of the bill">{{lines}}</td><td data-label="More">{{description}}</td></tr>{{/differences}}
</tbody>
</table>
{{/has_differences}}
{{^has_differences}}<p>The bill matches what we gave out.</p>{{/has_differences}}
</section>
{{/result}}
)html";

}  // namespace reciprocity::web::tmpl
