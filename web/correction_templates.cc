// The HTML of the pages that put records right: change or cancel a
// meeting, correct the register, decide a voucher, change a claim. Words
// are short and everyday, as on every page.
#include "web/html.h"

namespace reciprocity::web::tmpl {

const char kEditSession[] = R"html(
<p>{{#project}}{{project}} on {{was_date}}, {{was_start}} to {{was_end}}. {{/project}}Change what is wrong, then save. What you do not change stays the same.</p>
<form method="post" action="/officer/sessions/{{id}}/edit" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="date">Date <span class="hint">For example 2026-11-20. You cannot change the day once people have come or claimed.</span></label>
{{#date_error}}<span class="error" id="date-error">Error: {{date_error}}</span>{{/date_error}}
<input type="date" id="date" name="date" value="{{date}}" {{#date_error}}aria-describedby="date-error"{{/date_error}}>
<label for="start_time">Starts at <span class="hint">For example 10:00</span></label>
{{#start_time_error}}<span class="error" id="start_time-error">Error: {{start_time_error}}</span>{{/start_time_error}}
<input type="text" id="start_time" name="start_time" value="{{start_time}}" {{#start_time_error}}aria-describedby="start_time-error"{{/start_time_error}}>
<label for="end_time">Ends at <span class="hint">For example 12:00</span></label>
{{#end_time_error}}<span class="error" id="end_time-error">Error: {{end_time_error}}</span>{{/end_time_error}}
<input type="text" id="end_time" name="end_time" value="{{end_time}}" {{#end_time_error}}aria-describedby="end_time-error"{{/end_time_error}}>
<label for="venue">Where</label>
{{#venue_error}}<span class="error" id="venue-error">Error: {{venue_error}}</span>{{/venue_error}}
<input type="text" id="venue" name="venue" value="{{venue}}" {{#venue_error}}aria-describedby="venue-error"{{/venue_error}}>
{{#creche_error}}<span class="error" id="creche-error">Error: {{creche_error}}</span>{{/creche_error}}
<label class="choice"><input type="checkbox" id="creche" name="creche" value="yes" {{#creche}}checked{{/creche}} {{#creche_error}}aria-describedby="creche-error"{{/creche_error}}>A crèche is there</label>
<button type="submit">Save the changes</button>
</form>
<p><a href="/officer/sessions/{{id}}/cancel">Cancel this meeting</a></p>
)html";

const char kCancelSession[] = R"html(
{{#project}}<p>{{project}} on {{date}}, {{start_time}} to {{end_time}}{{#venue}} at {{venue}}{{/venue}}.</p>{{/project}}
<h2>If you cancel it</h2>
<ul>
<li>No one new can go on the list of who came. No one can make a new claim for it.</li>
<li>Claims people sent before stay. We check them and pay them as usual. People may have paid to get there.</li>
<li>Vouchers that people got stay as they are. To change one, <a href="/officer/sessions/{{id}}/attendance">fix the list of who came</a> first.</li>
<li>{{on_register}}</li>
</ul>
<form method="post" action="/officer/sessions/{{id}}/cancel" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="reason">Why is it cancelled? <span class="hint">Like this: The room flooded. People will see it.</span></label>
{{#reason_error}}<span class="error" id="reason-error">Error: {{reason_error}}</span>{{/reason_error}}
<textarea id="reason" name="reason" rows="3" {{#reason_error}}aria-describedby="reason-error"{{/reason_error}}>{{reason}}</textarea>
<button type="submit" class="warning">Cancel the meeting</button>
</form>
<p><a href="/officer/sessions/{{id}}/edit">Go back: do not cancel it</a></p>
)html";

const char kCorrectRegister[] = R"html(
{{#date}}<p>{{project}}: {{date}}, {{start_time}} to {{end_time}} ({{length}} minutes).</p>{{/date}}
<p>{{#cancelled}}This meeting is cancelled. {{/cancelled}}Here is who came. If something is wrong, change it and say why. We check the voucher again. If it was given out, we do not take it back. We put it on a list for you to <a href="/officer/vouchers/decide">decide</a>.</p>
{{^has_people}}<p>No one is on the register yet. <a href="/officer/sessions/{{id}}/register">Tick the register</a>.</p>{{/has_people}}
{{#people}}
<section class="card" aria-labelledby="who-{{id}}">
<h2 id="who-{{id}}">{{label}}</h2>
{{#minutes_now}}<p>They stayed {{minutes_now}} minutes{{#creche_now}}. {{creche_now}}{{/creche_now}}.</p>
<p>Voucher: {{voucher}}</p>{{/minutes_now}}
{{#note}}<p class="record">Last change: {{note}}</p>{{/note}}
<form method="post" action="/officer/sessions/{{session_id}}/attendance/{{id}}" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="minutes-{{id}}">Minutes {{name}} stayed</label>
{{#minutes_error}}<span class="error" id="minutes-{{id}}-error">Error: {{minutes_error}}</span>{{/minutes_error}}
<input type="number" id="minutes-{{id}}" name="minutes" value="{{minutes}}" min="0" max="1440" inputmode="numeric" {{#minutes_error}}aria-describedby="minutes-{{id}}-error"{{/minutes_error}}>
{{#has_creche}}
<label for="creche-{{id}}">Did their child use the crèche?</label>
{{#creche_error}}<span class="error" id="creche-{{id}}-error">Error: {{creche_error}}</span>{{/creche_error}}
<select id="creche-{{id}}" name="creche" {{#creche_error}}aria-describedby="creche-{{id}}-error"{{/creche_error}}>
<option value="unknown" {{#creche_unknown}}selected{{/creche_unknown}}>We do not know</option>
<option value="yes" {{#creche_yes}}selected{{/creche_yes}}>Yes</option>
<option value="no" {{#creche_no}}selected{{/creche_no}}>No</option>
</select>
{{/has_creche}}
<label for="reason-{{id}}">Why was it wrong? <span class="hint">Like this: She left at the break.</span></label>
{{#reason_error}}<span class="error" id="reason-{{id}}-error">Error: {{reason_error}}</span>{{/reason_error}}
<input type="text" id="reason-{{id}}" name="reason" value="{{reason}}" {{#reason_error}}aria-describedby="reason-{{id}}-error"{{/reason_error}}>
<button type="submit" name="action" value="correct">Save</button>
<button type="submit" name="action" value="remove" class="warning">Remove {{name}}</button>
</form>
</section>
{{/people}}
<p><a href="/officer/sessions/{{id}}/register">Tick who came</a> - <a href="/officer/sessions/{{id}}/edit">Change the meeting</a></p>
)html";

const char kDecideVouchers[] = R"html(
<p>These vouchers were given out. Then the register was put right. Now it says they are not due. We did not take them back. For each one, say if the person keeps it or you take it back, and say why.</p>
{{#vouchers}}
<section class="card" aria-labelledby="voucher-{{id}}">
<h2 id="voucher-{{id}}">{{value}} voucher for {{participant}}</h2>
<p>For the meeting on {{date}}. Number {{serial}}.</p>
<p class="record">{{note}}</p>
<form method="post" action="/officer/vouchers/{{id}}/decide" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="reason-{{id}}">Why? <span class="hint">Like this: I spoke to them. They keep it.</span></label>
{{#reason_error}}<span class="error" id="reason-{{id}}-error">Error: {{reason_error}}</span>{{/reason_error}}
<input type="text" id="reason-{{id}}" name="reason" value="{{reason}}" {{#reason_error}}aria-describedby="reason-{{id}}-error"{{/reason_error}}>
<button type="submit" name="decision" value="keep">They keep it</button>
<button type="submit" name="decision" value="take-back" class="warning">Take it back</button>
</form>
</section>
{{/vouchers}}
{{^vouchers}}<p>There are no vouchers for you to decide.</p>{{/vouchers}}
<p><a href="/officer/vouchers">Vouchers to hand out</a></p>
)html";

const char kAmendClaim[] = R"html(
<p>{{#date}}Meeting on {{date}}. {{/date}}You can change what was asked for until the claim is checked. We check it again by the same rules. We keep the old one too.</p>
<form method="post" action="/claims/{{claim_id}}/amend" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
{{#lines}}
<label for="line-{{index}}">{{what}} <span class="hint">{{hint}}</span></label>
{{#line_error}}<span class="error" id="line-{{index}}-error">Error: {{line_error}}</span>{{/line_error}}
<input type="text" id="line-{{index}}" name="line-{{index}}" value="{{value}}" inputmode="decimal" {{#line_error}}aria-describedby="line-{{index}}-error"{{/line_error}}>
{{/lines}}
<label for="reason">Why did it change? <span class="hint">You do not have to say. For example: I forgot the parking.</span></label>
{{#reason_error}}<span class="error" id="reason-error">Error: {{reason_error}}</span>{{/reason_error}}
<input type="text" id="reason" name="reason" value="{{reason}}" {{#reason_error}}aria-describedby="reason-error"{{/reason_error}}>
<button type="submit">Save the change</button>
</form>
<p><a href="/claims/{{claim_id}}">Go back: do not change it</a></p>
)html";

}  // namespace reciprocity::web::tmpl
