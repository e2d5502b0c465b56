// The one style sheet: large text, strong focus, one column that reflows at
// 400 % zoom and on a phone, and a print layout for statements.
#include "web/html.h"

namespace reciprocity::web {

const char kStyleSheet[] = R"css(
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 125%; }
body { margin: 0; font-family: Arial, "Helvetica Neue", sans-serif;
  line-height: 1.5; color: #0b0c0c; background: #fff; }
.wrap { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: -9999px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px;
  margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; border: 0; }
table.register input[type=number] { max-width: 6rem; }
.skip:focus { left: 1rem; top: 1rem; background: #ffdd00; padding: .5rem;
  z-index: 10; }
header { background: #1d3d5c; color: #fff; padding: .75rem 0; }
header .wrap { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem;
  align-items: center; }
header a, header a:visited, header .link { color: #fff; }
.brand { font-weight: bold; font-size: 1.2rem; text-decoration: none; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex;
  flex-wrap: wrap; gap: .25rem 1rem; }
a { color: #1d4f91; }
a:visited { color: #4c2c92; }
a:focus, button:focus, input:focus, select:focus, textarea:focus,
summary:focus { outline: 3px solid #ffdd00; outline-offset: 0;
  box-shadow: 0 0 0 6px #0b0c0c; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 1.5rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 1.5rem 0 .5rem; }
label, legend { display: block; font-weight: bold; margin: 1rem 0 .25rem; }
.hint { display: block; color: #505a5f; font-weight: normal; }
input[type=text], input[type=number], input[type=date], select, textarea {
  font: inherit; padding: .4rem; border: 2px solid #0b0c0c; width: 100%;
  max-width: 20rem; }
input.code { text-transform: uppercase; letter-spacing: .2em;
  max-width: 12rem; }
input[type=checkbox], input[type=radio] { width: 1.5rem; height: 1.5rem;
  vertical-align: middle; margin-right: .5rem; }
.choice { display: block; margin: .5rem 0; font-weight: normal; }
fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
legend.section { font-size: 1.35rem; margin-top: 1.5rem; }
.choice-row { display: grid; grid-template-columns: auto 1fr;
  align-items: start; margin: .75rem 0; }
.choice-row input { margin-top: .15rem; }
.choice-row .choice { margin: 0; font-weight: bold; }
.choice-row .hint { grid-column: 2; }
button, .button { font: inherit; font-weight: bold; background: #00703c;
  color: #fff; border: 0; border-bottom: 3px solid #002d18;
  padding: .5rem 1rem; margin: 1rem .5rem .5rem 0; cursor: pointer;
  display: inline-block; text-decoration: none; }
button.secondary { background: #f3f2f1; color: #0b0c0c;
  border-bottom-color: #929191; }
button.warning { background: #d4351c; border-bottom-color: #55150b; }
button.link { background: none; border: 0; padding: 0; margin: 0;
  text-decoration: underline; font-weight: normal; }
form.inline { display: inline; }
ul.actions { list-style: none; margin: .25rem 0 1rem; padding: 0;
  display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; }
.problem { border: 4px solid #d4351c; padding: 1rem; margin: 1rem 0; }
.problem h2 { margin-top: 0; }
.error { color: #d4351c; font-weight: bold; display: block; }
.notice { border-left: 8px solid #00703c; background: #f3f2f1;
  padding: .5rem 1rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .5rem .5rem .5rem 0;
  border-bottom: 1px solid #b1b4b6; vertical-align: top; }
td.money, th.money { text-align: right; white-space: nowrap; }
.card { border: 2px solid #b1b4b6; padding: .5rem 1rem; margin: 1rem 0; }
.big-code { font-size: 2.5rem; letter-spacing: .2em; font-weight: bold; }
.tag { font-weight: bold; border: 2px solid currentColor; padding: 0 .3rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
img.chart { max-width: 100%; height: auto; }
footer { margin-top: 3rem; padding: 1rem 0; border-top: 1px solid #b1b4b6;
  color: #505a5f; font-size: .9rem; }
main { overflow-wrap: break-word; }
textarea.file-text { max-width: 100%; font-family: monospace; }
input[type=file] { font: inherit; max-width: 100%; }
h4 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
.check { border: 4px solid #1d70b8; padding: 1rem; margin: 1rem 0; }
.check h2 { margin-top: 0; }
.acting { border-left: 8px solid #1d3d5c; background: #f3f2f1;
  padding: .5rem 1rem; margin: 1rem 0; }
table.many th.money { white-space: normal; }
a.button, a.button:visited { color: #fff; }
.quoted-line { display: block; font-family: monospace;
  border-left: 4px solid #d4351c; padding-left: .5rem; margin: .25rem 0; }
@media (max-width: 30rem) { td.money { white-space: normal; } }
@media (max-width: 30rem) { html { font-size: 112.5%; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { border-bottom: 2px solid #b1b4b6; padding: .25rem 0; }
  td { border: 0; padding: .15rem 0; }
  td[data-label]::before { content: attr(data-label) ": ";
    font-weight: bold; }
  td.money { text-align: left; } }
@media print { header, footer, nav, form, button, .skip, .no-print {
    display: none; }
  html { font-size: 100%; } a { color: #000; } main { max-width: none; }
  h2, h3 { break-after: avoid; } tr, .statement-claim { break-inside: avoid; }
  th, td { border-bottom: 1px solid #000; } }
)css";

}  // namespace reciprocity::web
