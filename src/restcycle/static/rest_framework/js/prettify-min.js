/* restcycle: its own highlighter for the JSON in <pre class="prettyprint"> blocks. It splits
   each block's text into strings, numbers, literals and punctuation and wraps them in spans
   (class names as code-prettify's, coloured by prettify.css). Text is set with textContent
   only, never parsed as HTML. window.prettyPrint() runs it again; it runs once on load. */
(function () {
  "use strict";
  var TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}\[\],:])/g;
  function span(cls, text) {
    var node = document.createElement("span");
    node.className = cls;
    node.textContent = text;
    return node;
  }
  function highlight(textNode) {
    var text = textNode.nodeValue, out = document.createDocumentFragment(), last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (match.index > last) { out.appendChild(document.createTextNode(text.slice(last, match.index))); }
      if (match[1]) {
        out.appendChild(span(match[2] ? "atn" : "str", match[1]));
        if (match[2]) { out.appendChild(span("pun", match[2])); }
      } else if (match[3]) { out.appendChild(span("lit", match[3])); }
      else if (match[4]) { out.appendChild(span("kwd", match[4])); }
      else { out.appendChild(span("pun", match[5])); }
      last = TOKEN.lastIndex;
    }
    if (last < text.length) { out.appendChild(document.createTextNode(text.slice(last))); }
    textNode.parentNode.replaceChild(out, textNode);
  }
  function prettyPrint() {
    document.querySelectorAll("pre.prettyprint:not(.prettyprinted)").forEach(function (pre) {
      var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT), nodes = [];
      while (walker.nextNode()) {
        if (!walker.currentNode.parentElement.closest(".nocode")) { nodes.push(walker.currentNode); }
      }
      nodes.forEach(highlight);
      pre.classList.add("prettyprinted");
    });
  }
  window.prettyPrint = prettyPrint;
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", prettyPrint); }
  else { prettyPrint(); }
})();
