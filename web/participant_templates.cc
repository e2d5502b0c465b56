// The participant pages' HTML: pick a meeting, the claim form, my claims,
// one claim, my statement and how I am paid. Words are short and everyday
// (Flesch reading ease above 95).
#include "web/html.h"

namespace reciprocity::web::tmpl {

const char kPickMeeting[] = R"html(
{{#has_meetings}}
<form method="get" action="/claim/details">
<fieldset>
<legend>Which meeting did you go to?</legend>
{{#meetings}}
<label class="choice"><input type="radio" name="session" value="{{name}}" {{#first}}checked{{/first}}>
{{date}}: {{project}} {{#venue}}at {{venue}}{{/venue}}</label>
{{/meetings}}
</fieldset>
<button type="submit">Next</button>
</form>
{{/has_meetings}}
{{^meetings}}<p>We do not have a meeting for you yet. At each meeting, the staff tick you in. Ask them if one is not here.</p>{{/meetings}}
)html";

const char kClaimForm[] = R"html(
<p>For the meeting on <strong>{{date}}</strong>: {{project_label}}.</p>
<form method="post" action="/claim/preview">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="session" value="{{session}}">
<input type="hidden" name="request_id" value="{{request_id}}">
{{#for_officer}}
<label for="participant">Who is the claim for?
<span class="hint">Their number, for example p-0001</span></label>
{{#participant_error}}<span class="error" id="participant-error">Error: {{participant_error}}</span>{{/participant_error}}
<input type="text" id="participant" name="participant" value="{{participant}}">
{{/for_officer}}
<p>Fill in only the costs you had. Leave the rest empty.</p>
<fieldset>
<legend class="section">Travel</legend>
<label for="fare">Bus or train fares, in pounds
<span class="hint">For example 3.20.</span></label>
{{#fare_error}}<span class="error" id="fare-error">Error: {{fare_error}}</span>{{/fare_error}}
<input type="text" inputmode="decimal" id="fare" name="fare" value="{{fare}}" {{#fare_error}}aria-describedby="fare-error"{{/fare_error}}>
<label for="miles">Miles you drove in your own car, there and back
<span class="hint">For example 12.</span></label>
{{#miles_error}}<span class="error" id="miles-error">Error: {{miles_error}}</span>{{/miles_error}}
<input type="text" inputmode="decimal" id="miles" name="miles" value="{{miles}}" {{#miles_error}}aria-describedby="miles-error"{{/miles_error}}>
<label for="parking">Parking, in pounds</label>
{{#parking_error}}<span class="error" id="parking-error">Error: {{parking_error}}</span>{{/parking_error}}
<input type="text" inputmode="decimal" id="parking" name="parking" value="{{parking}}" {{#parking_error}}aria-describedby="parking-error"{{/parking_error}}>
<label for="taxi">Taxi, in pounds
<span class="hint">We only pay for a taxi if we said yes to it first.</span></label>
{{#taxi_error}}<span class="error" id="taxi-error">Error: {{taxi_error}}</span>{{/taxi_error}}
<input type="text" inputmode="decimal" id="taxi" name="taxi" value="{{taxi}}" {{#taxi_error}}aria-describedby="taxi-error"{{/taxi_error}}>
<label class="choice"><input type="checkbox" name="receipt" value="yes" {{#receipt}}checked{{/receipt}}>
I have tickets or receipts</label>
</fieldset>
<fieldset>
<legend class="section">Care while you were out</legend>
<p class="hint">Did you pay someone to look after your children so you could come? Or to care for a person you look after? Then fill this in.</p>
<label for="child_hours">Hours of care for your children
<span class="hint">For example 3 or 2.5.</span></label>
{{#child_hours_error}}<span class="error" id="child_hours-error">Error: {{child_hours_error}}</span>{{/child_hours_error}}
<input type="text" inputmode="decimal" id="child_hours" name="child_hours" value="{{child_hours}}" {{#child_hours_error}}aria-describedby="child_hours-error"{{/child_hours_error}}>
<label for="children">How many children</label>
{{#children_error}}<span class="error" id="children-error">Error: {{children_error}}</span>{{/children_error}}
<input type="text" inputmode="numeric" id="children" name="children" value="{{children}}" {{#children_error}}aria-describedby="children-error"{{/children_error}}>
<label for="child_cost">Cost of care for your children, in pounds
<span class="hint">For example 30.00.</span></label>
{{#child_cost_error}}<span class="error" id="child_cost-error">Error: {{child_cost_error}}</span>{{/child_cost_error}}
<input type="text" inputmode="decimal" id="child_cost" name="child_cost" value="{{child_cost}}" {{#child_cost_error}}aria-describedby="child_cost-error"{{/child_cost_error}}>
<label for="care_hours">Hours of care for a person you look after
<span class="hint">For example 3 or 2.5.</span></label>
{{#care_hours_error}}<span class="error" id="care_hours-error">Error: {{care_hours_error}}</span>{{/care_hours_error}}
<input type="text" inputmode="decimal" id="care_hours" name="care_hours" value="{{care_hours}}" {{#care_hours_error}}aria-describedby="care_hours-error"{{/care_hours_error}}>
<label for="care_cost">Cost of that care, in pounds</label>
{{#care_cost_error}}<span class="error" id="care_cost-error">Error: {{care_cost_error}}</span>{{/care_cost_error}}
<input type="text" inputmode="decimal" id="care_cost" name="care_cost" value="{{care_cost}}" {{#care_cost_error}}aria-describedby="care_cost-error"{{/care_cost_error}}>
</fieldset>
<button type="submit" name="step" value="check">Check my claim</button>
{{#preview}}
<h2>What we would pay</h2>
<table>
<thead><tr><th scope="col">What</th><th scope="col" class="money">You asked</th><th scope="col" class="money">We pay</th><th scope="col">Why</th></tr></thead>
<tbody>
{{#lines}}<tr><td data-label="What">{{what}}</td><td class="money" data-label="You asked">{{claimed}}</td><td class="money" data-label="We pay">{{allowed}}</td><td data-label="Why">{{reason}}</td></tr>{{/lines}}
</tbody>
</table>
<p><strong>In all we would pay {{total}}.</strong> {{summary}}</p>
<button type="submit" name="step" value="send" formaction="/claim/send">Send my claim</button>
{{/preview}}
</form>
)html";

const char kMyClaims[] = R"html(
{{#has_claims}}
<table>
<thead><tr><th scope="col">Claim</th><th scope="col">Meeting</th><th scope="col" class="money">We pay</th><th scope="col">Where it is up to</th></tr></thead>
<tbody>
{{#claims}}<tr><td data-label="Claim"><a href="/claims/{{id}}">Claim {{id}}</a></td><td data-label="Meeting">{{date}}: {{project}}</td><td class="money" data-label="We pay">{{allowed}}</td><td data-label="Where it is up to">{{state}}</td></tr>{{/claims}}
</tbody>
</table>
{{/has_claims}}
{{^claims}}<p>You have no claims yet. <a href="/claim">Claim for a meeting</a>.</p>{{/claims}}
)html";

const char kClaimPage[] = R"html(
<p><span class="tag">{{state_label}}</span> {{state_sentence}}</p>
<p>Meeting on {{date}}: {{project}}. Paid by {{method}}.</p>
<table>
<thead><tr><th scope="col">What</th><th scope="col" class="money">Asked</th><th scope="col" class="money">We pay</th><th scope="col">Why</th></tr></thead>
<tbody>
{{#lines}}<tr><td data-label="What">{{what}}</td><td class="money" data-label="Asked">{{claimed}}</td><td class="money" data-label="We pay">{{allowed}}</td><td data-label="Why">{{outcome}}: {{reason}}
{{#can_appeal}}
<form method="post" action="/claims/{{claim_id}}/appeal">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="line" value="{{index}}">
<label for="comment-{{index}}">Tell us why we should look again</label>
<textarea id="comment-{{index}}" name="comment" rows="3"></textarea>
<button type="submit" class="secondary">Ask us to look again</button>
</form>
{{/can_appeal}}
</td></tr>{{/lines}}
</tbody>
</table>
<p><strong>In all: {{total}}.</strong></p>
{{#can_amend}}<p><a href="/claims/{{claim_id}}/amend">Change this claim</a></p>{{/can_amend}}
{{#can_withdraw}}
<form method="post" action="/claims/{{claim_id}}/withdraw">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit" class="warning">Take back this claim</button>
</form>
{{/can_withdraw}}
)html";

const char kStatement[] = R"html(
<p class="no-print">You can print this page. It says the same as the one your officer can print.</p>
<h2>{{heading}}</h2>
<p>For: {{for_whom}}</p>
{{^has_claims}}<p>There are no claims yet.</p>{{/has_claims}}
{{#claims}}
<section class="statement-claim" aria-labelledby="claim-{{id}}">
<h3 id="claim-{{id}}">{{heading}}</h3>
<table>
<thead><tr><th scope="col">What</th><th scope="col" class="money">You claimed</th><th scope="col" class="money">We allowed</th><th scope="col">Why</th></tr></thead>
<tbody>
{{#lines}}<tr><td data-label="What">{{what}}</td><td class="money" data-label="You claimed">{{claimed}}</td><td {{#allowed_is_money}}class="money" {{/allowed_is_money}}data-label="We allowed">{{allowed}}</td><td data-label="Why">{{reason}}</td></tr>{{/lines}}
</tbody>
</table>
<p>{{state_sentence}} {{money_sentence}}</p>
</section>
{{/claims}}
{{#has_vouchers}}
<h3>Vouchers for coming to sessions</h3>
<ul>{{#vouchers}}<li>{{.}}</li>{{/vouchers}}</ul>
<p>{{voucher_total}}</p>
{{/has_vouchers}}
{{#has_totals}}
<h3>Totals</h3>
<ul>{{#totals}}<li>{{.}}</li>{{/totals}}</ul>
{{/has_totals}}
)html";

const char kPaymentPreference[] = R"html(
<p>Now: <strong>{{current}}</strong>.</p>
<form method="post" action="/payment">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<fieldset {{#pay_error}}aria-describedby="pay-error"{{/pay_error}}>
<legend>How do you want us to pay you?</legend>
{{#pay_error}}<span class="error" id="pay-error">Error: {{pay_error}}</span>{{/pay_error}}
{{#choices}}
<div class="choice-row">
<input type="radio" id="pay-{{value}}" name="pay" value="{{value}}" aria-describedby="pay-{{value}}-hint" {{#checked}}checked{{/checked}}>
<label class="choice" for="pay-{{value}}">{{label}}</label>
<span class="hint" id="pay-{{value}}-hint">{{hint}}</span>
</div>
{{/choices}}
</fieldset>
<button type="submit">Save my choice</button>
</form>
<p>Your choice is for claims you send from now on. Claims you sent before stay as they were.</p>
)html";

}  // namespace reciprocity::web::tmpl
