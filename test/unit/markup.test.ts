// The report's markup: every value interpolated into html`...` is escaped unless it is markup built by
// html itself; markup cannot leak into a plain string by accident.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { html, join, NONE, pageText } from '../../src/report/html/markup.js'

const EVIL = `<script>alert("x")</script>&'`

test('text, numbers and lists are escaped; markup built by html stays; null, undefined and false leave nothing', () => {
  const m = html`<p title="${EVIL}">${EVIL} ${42} ${[EVIL, html`<b>ok</b>`]}${null}${undefined}${false}</p>`
  assert.equal(pageText(m), '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39; 42 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>ok</b></p>')
})

test('an object that merely looks like markup is text', () => {
  const fake = { html: '<i>', toString: () => '<i>' }
  assert.equal(pageText(html`${fake as unknown as string}`), '&lt;i&gt;')
})

test('join escapes its items and separator unless they are markup', () => {
  assert.equal(pageText(join(['<a>', html`<br>`, 'b'], ' & ')), '&lt;a&gt; &amp; <br> &amp; b')
  assert.equal(pageText(join([], html`<br>`)), '')
  assert.equal(pageText(NONE), '')
})

test('markup used as a plain string throws instead of printing [object Object]', () => {
  const m = html`<b>x</b>`
  assert.throws(() => `${m as unknown as string}`, /markup used as a string/)
  assert.throws(() => [m].join(''), /markup used as a string/)
})
