// The HTML of the officer's pages about one person: the list, their record
// (appointees, agreements), a new standing agreement and acting for them.
// Words are short and everyday (Flesch reading ease above 95).
#include "web/staff_pages.h"

namespace reciprocity::web::tmpl {

const char kPeople[] = R"html(
<p>Here is everyone on the list. Pick a name to see more. You can see who may act for them, and what we said we would pay. You can act for them too.</p>
{{#has_people}}
<table>
<thead><tr><th scope="col">Name</th><th scope="col">How they are paid</th><th scope="col">Who may act for them</th></tr></thead>
<tbody>
{{#people}}<tr><td data-label="Name"><a href="/officer/people/{{id}}">{{label}}</a></td><td data-label="How they are paid">{{paid}}</td><td data-label="Who may act for them">{{appointees}}</td></tr>{{/people}}
</tbody>
</table>
{{/has_people}}
{{^has_people}}<p>There is no one on the list yet.</p>{{/has_people}}
)html";

const char kPerson[] = R"html(
<p>{{type}}. Paid by {{paid}}.{{#updated_by}} Their record was last changed on {{updated_on}} by {{updated_by}}{{#for_whom}}, acting for {{for_whom}}{{/for_whom}}.{{/updated_by}}</p>
<p><a class="button" href="/officer/people/{{person}}/act">Act for this person</a></p>
<h2>Who may act for them</h2>
<p>This is someone who helps them, like a carer. They need their own sign-in. They can ask us to look again at a line we did not pay. They can change how this person is paid. They can do nothing else.</p>
{{#has_appointees}}
<ul>
{{#appointees}}<li>{{appointee}}
<form method="post" action="/officer/people/{{person}}/appointees/remove" class="inline">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<input type="hidden" name="appointee" value="{{appointee}}">
<button type="submit" class="secondary">Stop {{appointee}} acting for them</button>
</form></li>{{/appointees}}
</ul>
{{/has_appointees}}
{{^has_appointees}}<p>No one yet.</p>{{/has_appointees}}
<form method="post" action="/officer/people/{{person}}/appointees">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="appointee">Add someone by the name on their sign-in
<span class="hint" id="appointee-hint">For example carer-0007. Do not type their real name.</span></label>
{{#appointee_error}}<span class="error" id="appointee-error">Error: {{appointee_error}}</span>{{/appointee_error}}
<input type="text" id="appointee" name="appointee" value="{{appointee}}" autocomplete="off" spellcheck="false" aria-describedby="appointee-hint{{#appointee_error}} appointee-error{{/appointee_error}}">
<button type="submit">Add them</button>
</form>
<h2>What we said we would pay</h2>
<p>These are things we said yes to before a meeting, like a taxi.</p>
{{#agreements}}
<div class="card">
<h3>Agreement {{agreement}}: {{what}}</h3>
<p>{{#standing}}{{project}}: each meeting from {{from}} to {{to}}.{{/standing}}{{^standing}}For meeting {{session}} only.{{/standing}}</p>
{{#retrospective}}<p><span class="tag">Agreed after it began</span> It was saved after its first day. Claims for meetings held by then say "agreed after the session".</p>{{/retrospective}}
{{#ended_by}}<p><span class="tag">Ended early</span> {{ended_by}} ended it. At first it was to run to {{original_to}}.{{#ended_before_start}} It ended before it began, so it pays for no meeting.{{/ended_before_start}}</p>{{/ended_by}}
{{#note}}<p>Why: {{note}}</p>{{/note}}
<p>Agreed by {{agreed_by}} on {{recorded}}.</p>
{{#can_end}}
<form method="post" action="/officer/people/{{person}}/agreements/{{agreement}}/end">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="last_day-{{agreement}}">To end it early, type the last day we pay for
<span class="hint" id="last_day-{{agreement}}-hint">Today or later. Meetings up to that day are still paid.</span></label>
{{#last_day_error}}<span class="error" id="last_day-{{agreement}}-error">Error: {{last_day_error}}</span>{{/last_day_error}}
<input type="date" id="last_day-{{agreement}}" name="last_day" value="{{last_day}}" aria-describedby="last_day-{{agreement}}-hint{{#last_day_error}} last_day-{{agreement}}-error{{/last_day_error}}">
<button type="submit" class="warning">End agreement {{agreement}} early</button>
</form>
{{/can_end}}
</div>
{{/agreements}}
{{^agreements}}<p>There are no agreements yet.</p>{{/agreements}}
<p><a class="button" href="/officer/people/{{person}}/agreements/new">Add a standing agreement</a></p>
<p><a href="/officer/people">Back to everyone</a></p>
)html";

const char kNewAgreement[] = R"html(
<p>This is for {{name}}. It is for each meeting of one group, from the first day to the last day. It can last up to a year.</p>
{{#confirm_retrospective}}
<div class="check" role="status">
<h2>Please check</h2>
<p>The first day, {{date_from}}, is before today. So we will keep this as agreed after the meeting. Claims for meetings held by now will say "agreed after the session". If that is right, save it again.</p>
</div>
{{/confirm_retrospective}}
<form method="post" action="/officer/people/{{person}}/agreements">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
{{#confirm_retrospective}}<input type="hidden" name="after_the_meeting" value="yes">{{/confirm_retrospective}}
<label for="project">Group</label>
{{#project_error}}<span class="error" id="project-error">Error: {{project_error}}</span>{{/project_error}}
<select id="project" name="project" {{#project_error}}aria-describedby="project-error"{{/project_error}}>
{{#projects}}<option value="{{name}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/projects}}
</select>
<label for="category">What we pay for</label>
{{#category_error}}<span class="error" id="category-error">Error: {{category_error}}</span>{{/category_error}}
<select id="category" name="category" {{#category_error}}aria-describedby="category-error"{{/category_error}}>
{{#categories}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/categories}}
</select>
<label for="up_to">The most we pay each time, in pounds
<span class="hint" id="up_to-hint">For example 15.00. Leave it empty if there is no limit.</span></label>
{{#up_to_error}}<span class="error" id="up_to-error">Error: {{up_to_error}}</span>{{/up_to_error}}
<input type="text" inputmode="decimal" id="up_to" name="up_to" value="{{up_to}}" aria-describedby="up_to-hint{{#up_to_error}} up_to-error{{/up_to_error}}">
<label for="date_from">First day
<span class="hint" id="date_from-hint">Today is {{today}}. If the first day is before today, we keep it as agreed after the meeting.</span></label>
{{#date_from_error}}<span class="error" id="date_from-error">Error: {{date_from_error}}</span>{{/date_from_error}}
<input type="date" id="date_from" name="date_from" value="{{date_from}}" aria-describedby="date_from-hint{{#date_from_error}} date_from-error{{/date_from_error}}">
<label for="date_to">Last day
<span class="hint" id="date_to-hint">Up to a year after the first day.</span></label>
{{#date_to_error}}<span class="error" id="date_to-error">Error: {{date_to_error}}</span>{{/date_to_error}}
<input type="date" id="date_to" name="date_to" value="{{date_to}}" aria-describedby="date_to-hint{{#date_to_error}} date_to-error{{/date_to_error}}">
<label for="note">Why
<span class="hint" id="note-hint">For example: There is no bus she can use.</span></label>
{{#note_error}}<span class="error" id="note-error">Error: {{note_error}}</span>{{/note_error}}
<textarea id="note" name="note" rows="3" aria-describedby="note-hint{{#note_error}} note-error{{/note_error}}">{{note}}</textarea>
<button type="submit">{{#confirm_retrospective}}Save it as agreed after the meeting{{/confirm_retrospective}}{{^confirm_retrospective}}Save the agreement{{/confirm_retrospective}}</button>
</form>
<p><a href="/officer/people/{{person}}">Back to {{name}}</a></p>
)html";

const char kActFor[] = R"html(
<div class="acting">
<p>You are <strong>{{me}}</strong>. You are acting for <strong>{{name}}</strong>. What you do here is saved with both names.</p>
</div>
<h2>Ask us to look again at a line we did not pay</h2>
{{#has_cards}}
{{#cards}}
<div class="card">
<h3>Claim {{id}}: meeting on {{date}}, {{project}}</h3>
{{#lines}}
<form method="post" action="/officer/people/{{person}}/act/appeal">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<input type="hidden" name="claim" value="{{claim_id}}">
<input type="hidden" name="line" value="{{index}}">
<p>Line {{number}}, {{what}}: they asked for {{claimed}}. We did not pay it. {{reason}}</p>
<label for="{{field}}">Why should we look at line {{number}} again?</label>
{{#comment_error}}<span class="error" id="{{field}}-error">Error: {{comment_error}}</span>{{/comment_error}}
<textarea id="{{field}}" name="comment" rows="3" {{#comment_error}}aria-describedby="{{field}}-error"{{/comment_error}}>{{comment}}</textarea>
<button type="submit" class="secondary">Ask for them</button>
</form>
{{/lines}}
{{#has_done}}
<p>Asked for them so far:</p>
<ul>{{#done}}<li>{{.}}</li>{{/done}}</ul>
{{/has_done}}
</div>
{{/cards}}
{{/has_cards}}
{{^has_cards}}<p>None of their claims has a line we did not pay.</p>{{/has_cards}}
<h2>How they are paid</h2>
<p>Now: <strong>{{paid}}</strong>.{{#updated_by}} Their record was last changed by {{updated_by}}{{#for_whom}}, acting for {{for_whom}}{{/for_whom}}.{{/updated_by}}</p>
<form method="post" action="/officer/people/{{person}}/act/payment">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
{{>pay_fieldset}}
<button type="submit">Save their choice</button>
</form>
<p>Their choice is for claims they send from now on.</p>
<p><a href="/officer/people/{{person}}">Back to {{name}}</a></p>
)html";

// How they want to be paid: {{choices}} ({{value}}, {{label}}, {{checked}})
// and any {{pay_error}}; the partial {{>pay_fieldset}} of kActFor and
// kHelpSomeone.
const char kPayFieldset[] = R"html(
<fieldset {{#pay_error}}aria-describedby="pay-error"{{/pay_error}}>
<legend>How do they want us to pay them?</legend>
{{#pay_error}}<span class="error" id="pay-error">Error: {{pay_error}}</span>{{/pay_error}}
{{#choices}}
<div class="choice-row">
<input type="radio" id="pay-{{value}}" name="pay" value="{{value}}" {{#checked}}checked{{/checked}}>
<label class="choice" for="pay-{{value}}">{{label}}</label>
</div>
{{/choices}}
</fieldset>
)html";

// Help someone: a helper (an appointee named on a person's record, with
// their own sign-in) asks for a line to be looked at again or changes how
// the person is paid. The service decides whether they may.
const char kHelpSomeone[] = R"html(
<p>Has someone named you as their helper? Then you can do two things for them here. Ask an officer if you are not sure. What you do is saved with both your names.</p>
<h2>Ask us to look again at part of a claim</h2>
<p>Did we say no to part of their claim? Then you can ask us to look at it again, once. The claim number and the line are on their letter or their statement.</p>
<form method="post" action="/help/appeal" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="claim">The claim number <span class="hint">Like 12</span></label>
{{#claim_error}}<span class="error" id="claim-error">Error: {{claim_error}}</span>{{/claim_error}}
<input type="text" id="claim" name="claim" value="{{claim}}" inputmode="numeric" {{#claim_error}}aria-describedby="claim-error"{{/claim_error}}>
<label for="line">The line <span class="hint">Line 1 is the first cost on the claim.</span></label>
{{#line_error}}<span class="error" id="line-error">Error: {{line_error}}</span>{{/line_error}}
<input type="text" id="line" name="line" value="{{line}}" inputmode="numeric" {{#line_error}}aria-describedby="line-error"{{/line_error}}>
<label for="comment">Why should we look at it again?</label>
{{#comment_error}}<span class="error" id="comment-error">Error: {{comment_error}}</span>{{/comment_error}}
<textarea id="comment" name="comment" rows="3" {{#comment_error}}aria-describedby="comment-error"{{/comment_error}}>{{comment}}</textarea>
<button type="submit">Ask us to look again</button>
</form>
<h2>Change how they are paid</h2>
<form method="post" action="/help/payment" novalidate>
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="request_id" value="{{request_id}}">
<label for="person">Their number <span class="hint">Like p-0001</span></label>
{{#person_error}}<span class="error" id="person-error">Error: {{person_error}}</span>{{/person_error}}
<input type="text" id="person" name="person" value="{{person}}" {{#person_error}}aria-describedby="person-error"{{/person_error}}>
{{>pay_fieldset}}
<button type="submit">Save their choice</button>
</form>
<p>Their choice is for claims they send from now on.</p>
)html";

}  // namespace reciprocity::web::tmpl
