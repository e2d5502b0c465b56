// Every page's HTML, compiled in. Words are short and everyday (the claim
// reasons read at Flesch > 95; the pages aim for the same).
#include "web/html.h"

namespace reciprocity::web {

std::string Render(const std::string& text, const Data& data) {
  kainjow::mustache::mustache compiled(text);
  if (!compiled.is_valid()) {
    return "Sorry, this page could not be shown: " + compiled.error_message();
  }
  return compiled.render(data);
}

const char kLayout[] = R"html(<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{#problem_title}}Problem: {{/problem_title}}{{title}} - Reciprocity</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header>
<div class="wrap">
<a class="brand" href="/">Reciprocity</a>
{{#signed_in}}
<nav aria-label="Main menu"><ul>
{{#nav}}<li><a href="{{href}}">{{label}}</a></li>{{/nav}}
</ul></nav>
<form method="post" action="/sign-out" class="inline">
<input type="hidden" name="csrf" value="{{csrf}}">
<button class="link" type="submit">Sign out</button>
</form>
{{/signed_in}}
</div>
</header>
<main id="main" class="wrap">
{{#notice}}<div class="notice" role="status"><p>{{notice}}</p></div>{{/notice}}
{{#problem_title}}
<div class="problem" role="alert">
<h2>{{problem_title}}</h2>
<p>{{problem}}</p>
{{#has_errors}}<ul>{{/has_errors}}
{{#errors}}<li><a href="#{{field}}">{{message}}</a></li>{{/errors}}
{{#has_errors}}</ul>{{/has_errors}}
</div>
{{/problem_title}}
<h1>{{title}}</h1>
{{{body}}}
</main>
<footer><div class="wrap">
<p>Reciprocity pays back what it costs you to take part. If you need help, ask your officer.</p>
</div></footer>
</body>
</html>
)html";

namespace tmpl {

const char kMessage[] = R"html(
<p><a href="/">Go back to the start</a></p>
)html";

const char kSignIn[] = R"html(
<p>Type the code from your letter. It has eight letters and numbers.</p>
<form method="post" action="/sign-in">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="code">Your sign-in code
<span class="hint">For example K7QM-3XTP</span></label>
{{#code_error}}<span class="error" id="code-error">Error: {{code_error}}</span>{{/code_error}}
<input class="code" type="text" id="code" name="code" value="{{code}}"
 autocomplete="one-time-code" autocapitalize="characters" spellcheck="false"
 {{#code_error}}aria-describedby="code-error"{{/code_error}}>
<button type="submit">Sign in</button>
</form>
<details>
<summary>I work for the council</summary>
<form method="post" action="/sign-in/staff">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="token">Your staff token</label>
<input type="text" id="token" name="token" autocomplete="off" spellcheck="false">
<button type="submit" class="secondary">Sign in as staff</button>
</form>
</details>
)html";

const char kHome[] = R"html(
<p>You are signed in as {{who}}.</p>
<ul>
{{#nav}}<li><a href="{{href}}">{{label}}</a></li>{{/nav}}
</ul>
)html";

const char kOfficerToday[] = R"html(
<p>Meetings on {{today}}.</p>
{{#has_sessions}}
<ul>
{{#sessions}}<li><strong>{{project}}</strong> {{#venue}}at {{venue}}{{/venue}}
<ul class="actions"><li><a href="/officer/sessions/{{id}}/register">Tick who came</a></li><li><a href="/officer/claim?session={{name}}">Claim for someone</a></li><li><a href="/officer/sessions/{{id}}/attendance">Put the list right</a></li><li><a href="/officer/sessions/{{id}}/edit">Change or call off</a></li></ul></li>{{/sessions}}
</ul>
{{/has_sessions}}
{{^sessions}}<p>There are no meetings on this day.</p>{{/sessions}}
<p><a class="button" href="/officer/sessions/new">Add a meeting</a></p>
<form method="get" action="/officer">
<label for="date">See the meetings on some other day <span class="hint">Like this: 2026-11-20</span></label>
<input type="date" id="date" name="date" value="{{today}}">
<button type="submit" class="secondary">Show them</button>
</form>
)html";

const char kRegister[] = R"html(
<p>{{project}} on {{date}}, {{start_time}} to {{end_time}}. Tick each person who came. Check how long they stayed, in minutes.{{#creche}} Tick the crèche box if their child was in the crèche.{{/creche}} When you save this, we note that they came and give them any voucher they have earned.</p>
<form method="post" action="/officer/sessions/{{id}}/register" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<table class="register">
<caption class="visually-hidden">Who came to the meeting</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Came</th><th scope="col">Minutes</th>{{#creche}}<th scope="col">Used the crèche</th>{{/creche}}</tr></thead>
<tbody>
{{#people}}<tr>
<th scope="row">{{label}}</th>
<td>{{#came_error}}<span class="error" id="came-{{id}}-error">Error: {{came_error}}</span>{{/came_error}}
<label class="visually-hidden" for="came-{{id}}">{{name}} came</label>
<input type="checkbox" id="came-{{id}}" name="came" value="{{id}}" {{#came}}checked{{/came}} {{#came_error}}aria-describedby="came-{{id}}-error"{{/came_error}}></td>
<td>{{#minutes_error}}<span class="error" id="minutes-{{id}}-error">Error: {{minutes_error}}</span>{{/minutes_error}}
<label class="visually-hidden" for="minutes-{{id}}">Minutes {{name}} stayed</label>
<input type="number" id="minutes-{{id}}" name="minutes-{{id}}" value="{{minutes}}" min="1" max="1440" inputmode="numeric" {{#minutes_error}}aria-describedby="minutes-{{id}}-error"{{/minutes_error}}></td>
{{#creche}}<td><label class="visually-hidden" for="creche-{{id}}">The child of {{name}} used the crèche</label>
<input type="checkbox" id="creche-{{id}}" name="creche-{{id}}" value="yes" {{#creche_ticked}}checked{{/creche_ticked}}></td>{{/creche}}
</tr>
{{/people}}
</tbody>
</table>
<button type="submit">Save the register</button>
</form>
<ul class="actions"><li><a href="/officer/sessions/{{id}}/attendance">Put the list right</a></li><li><a href="/officer/sessions/{{id}}/edit">Change or call off the meeting</a></li></ul>
{{#has_recorded}}
<h2>Saved</h2>
<ul>{{#recorded}}<li>{{.}}</li>{{/recorded}}</ul>
{{/has_recorded}}
)html";

const char kNewSession[] = R"html(
<form method="post" action="/officer/sessions/new">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="project">Which group is it for?</label>
<select id="project" name="project">
{{#projects}}<option value="{{name}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/projects}}
</select>
<label for="date">What day is it? <span class="hint">For example 2026-11-20</span></label>
{{#date_error}}<span class="error" id="date-error">Error: {{date_error}}</span>{{/date_error}}
<input type="date" id="date" name="date" value="{{date}}">
<label for="start_time">What time does it start? <span class="hint">For example 10:00</span></label>
{{#start_time_error}}<span class="error" id="start_time-error">Error: {{start_time_error}}</span>{{/start_time_error}}
<input type="text" id="start_time" name="start_time" value="{{start_time}}" {{#start_time_error}}aria-describedby="start_time-error"{{/start_time_error}}>
<label for="end_time">What time does it end? <span class="hint">For example 12:00</span></label>
{{#end_time_error}}<span class="error" id="end_time-error">Error: {{end_time_error}}</span>{{/end_time_error}}
<input type="text" id="end_time" name="end_time" value="{{end_time}}" {{#end_time_error}}aria-describedby="end_time-error"{{/end_time_error}}>
<label for="venue">Where is it?</label>
<input type="text" id="venue" name="venue" value="{{venue}}">
<label class="choice"><input type="checkbox" name="creche" value="yes" {{#creche}}checked{{/creche}}>There is a crèche</label>
<button type="submit">Add the meeting</button>
</form>
)html";

const char kReviewQueue[] = R"html(
<p>Oldest first. Each line says why it needs a person to look.</p>
{{#more}}<p>There are more. These are the {{shown}} that have waited longest. When you have done these, come back for the rest.</p>{{/more}}
{{#claims}}
<div class="card">
<h2>Claim {{id}} by {{participant}}, meeting on {{date}}</h2>
<p>Sent on {{sent}} ({{waiting}}). <a href="/claims/{{id}}/amend">Change this claim</a></p>
{{#lines}}
<p>{{what}}: asked {{claimed}}. {{reason}}</p>
{{#open}}
<form method="post" action="/officer/claims/{{claim_id}}/lines/{{index}}">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="amount-{{claim_id}}-{{index}}">Amount to pay, in pounds</label>
<input type="text" id="amount-{{claim_id}}-{{index}}" name="amount" value="{{claimed_plain}}">
<label for="reason-{{claim_id}}-{{index}}">Reason, in plain words</label>
<input type="text" id="reason-{{claim_id}}-{{index}}" name="reason">
<label class="choice"><input type="checkbox" name="receipt_seen" value="yes">I have seen the receipt</label>
<button type="submit" name="decision" value="approve">Pay it</button>
<button type="submit" name="decision" value="refuse" class="warning">Do not pay it</button>
</form>
{{/open}}
{{/lines}}
</div>
{{/claims}}
{{^claims}}<p>There are no claims to check.</p>{{/claims}}
)html";

const char kVouchers[] = R"html(
{{#more}}<p>There are more. These are the {{shown}} that were earned first. When you have done these, come back for the rest.</p>{{/more}}
{{#vouchers}}
<div class="card">
<form method="post" action="/officer/vouchers/{{id}}">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<p>A <strong>{{value}}</strong> voucher for {{participant}}. It is for the meeting on {{date}}.</p>
<label for="serial-{{id}}">The number on the voucher</label>
<input type="text" id="serial-{{id}}" name="serial">
<button type="submit">Handed out</button>
</form>
</div>
{{/vouchers}}
{{^vouchers}}<p>There are no vouchers to give out now.</p>{{/vouchers}}
<p><a href="/officer/vouchers/decide">Vouchers we need to make a choice on</a></p>
)html";

const char kSignInCode[] = R"html(
{{#code}}
<div class="card">
<p>The code for {{principal}} to sign in:</p>
<p class="big-code">{{code}}</p>
{{#qr}}<img src="data:image/svg+xml;base64,{{qr}}" width="200" height="200" alt="QR code for the sign-in code {{code}}">{{/qr}}
<p>It works once, and stops on {{expires}}. Print this page, or read the code out to them.</p>
</div>
{{/code}}
<form method="post" action="/officer/codes">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="participant">Who is it for? <span class="hint">Their number, like p-0001</span></label>
<input type="text" id="participant" name="participant" value="{{participant}}">
<button type="submit">Make a sign-in code</button>
</form>
)html";

const char kReadyToPay[] = R"html(
<h2>Approved claims, by area</h2>
{{#has_areas}}
<table>
<thead><tr><th scope="col">Area</th><th scope="col">Claims</th><th scope="col" class="money">Total</th></tr></thead>
<tbody>{{#areas}}<tr><td>{{area}}</td><td>{{count}}</td><td class="money">{{total}}</td></tr>{{/areas}}</tbody>
</table>
<form method="post" action="/finance/batches">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="area">Make a payment batch for</label>
<select id="area" name="area">{{#areas}}<option value="{{area}}">{{area}}</option>{{/areas}}</select>
<button type="submit">Make the batch</button>
</form>
{{/has_areas}}
{{^areas}}<p>No approved claims are waiting.</p>{{/areas}}
<h2>Batches</h2>
{{#has_batches}}
<table>
<thead><tr><th scope="col">Batch</th><th scope="col">State</th><th scope="col">Claims</th><th scope="col" class="money">Total</th></tr></thead>
<tbody>{{#batches}}<tr><td><a href="/finance/batches/{{id}}">Batch {{id}}</a></td><td>{{state}}</td><td>{{count}}</td><td class="money">{{total}}</td></tr>{{/batches}}</tbody>
</table>
{{/has_batches}}
{{^batches}}<p>No batches yet.</p>{{/batches}}
<h2>Voucher bills</h2>
<p><a href="/finance/vouchers/bill">Check a bill from a voucher shop</a></p>
)html";

const char kBatchPage[] = R"html(
<p><span class="tag">{{state}}</span> {{count}} claims, {{total}} in all. Made by {{created_by}}{{#approved_by}}, approved by {{approved_by}}{{/approved_by}}.</p>
<h2>By how we pay</h2>
<table><thead><tr><th scope="col">Method</th><th scope="col">Claims</th><th scope="col" class="money">Total</th></tr></thead>
<tbody>{{#methods}}<tr><td>{{method}}</td><td>{{count}}</td><td class="money">{{total}}</td></tr>{{/methods}}</tbody></table>
<h2>By project</h2>
<table><thead><tr><th scope="col">Project</th><th scope="col">Cost centre</th><th scope="col">Claims</th><th scope="col" class="money">Total</th></tr></thead>
<tbody>{{#projects}}<tr><td>{{project}}</td><td>{{cost_centre}}</td><td>{{count}}</td><td class="money">{{total}}</td></tr>{{/projects}}</tbody></table>
{{#can_approve}}
<form method="post" action="/finance/batches/{{id}}/approve">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<p>A second person must approve: not the one who made the batch or checked its claims.</p>
<button type="submit">Approve this batch</button>
</form>
{{/can_approve}}
{{#can_export}}
<form method="post" action="/finance/batches/{{id}}/export">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<button type="submit" name="file" value="payments">Download the payment file (CSV)</button>
<button type="submit" name="file" value="vouchers" class="secondary">Download the voucher file (CSV)</button>
</form>
{{/can_export}}
{{#can_mark_paid}}
<form method="post" action="/finance/batches/{{id}}/paid">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="payment_date">Date paid</label>
<input type="date" id="payment_date" name="payment_date" value="{{today}}">
<button type="submit">Mark as paid</button>
</form>
{{/can_mark_paid}}
)html";

const char kSpendReport[] = R"html(
<p>This is the year from {{year_start}} to {{year_end}}. We have {{budget}} to spend. We have paid or said we will pay {{committed}}. Of that, {{vouchers}} is for vouchers. A voucher counts from the day it is earned.</p>
<img class="chart" src="/finance/spend.svg" alt="Bar chart of spend by month: {{chart_words}}">
<table>
<thead><tr><th scope="col">Project</th><th scope="col" class="money">Budget</th><th scope="col" class="money">Promised</th><th scope="col" class="money">Of which vouchers</th><th scope="col" class="money">Paid</th></tr></thead>
<tbody>{{#projects}}<tr><td>{{project}}</td><td class="money">{{budget}}</td><td class="money">{{committed}}</td><td class="money">{{vouchers}}</td><td class="money">{{paid}}</td></tr>{{/projects}}</tbody>
</table>
)html";

const char kTimeliness[] = R"html(
<p>We promise to pay a claim within {{target}} of the day it reaches us. These claims are not paid yet and are late, or have {{at_risk_days}} days or fewer left. Oldest first.</p>
<p>Late: {{late}}. Close to late: {{at_risk}}.</p>
{{#none}}<p>No claim is late or close to late.</p>{{/none}}
{{^none}}
<table>
<thead><tr><th scope="col">Claim</th><th scope="col">Sent</th><th scope="col" class="money">Days waiting</th><th scope="col">Promise</th><th scope="col">Why it waits</th><th scope="col" class="money">Amount</th></tr></thead>
<tbody>{{#claims}}<tr><td>{{id}}</td><td>{{sent}}</td><td class="money">{{days}}</td><td>{{status}}</td><td>{{why}}</td><td class="money">{{amount}}</td></tr>{{/claims}}</tbody>
</table>
{{/none}}
)html";

}  // namespace tmpl
}  // namespace reciprocity::web
