/* restcycle: sends Django's CSRF token with same-origin unsafe requests made by fetch() and
   XMLHttpRequest, for templates that add their own scripts. The token comes from the page's
   csrfmiddlewaretoken field, the drf_csrf JSON block of rest_framework/base.html, or the cookie. */
(function () {
  "use strict";
  var SAFE = /^(GET|HEAD|OPTIONS|TRACE)$/i;
  function config() {
    try { return JSON.parse(document.getElementById("drf_csrf").textContent); } catch (e) { return {}; }
  }
  function token() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field && field.value) { return field.value; }
    var fromPage = config().csrfToken;
    if (fromPage) { return fromPage; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function header() { return config().csrfHeaderName || "X-CSRFToken"; }
  function sameOrigin(url) { return new URL(url, window.location.href).origin === window.location.origin; }
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this._csrfNeeded = !SAFE.test(method) && sameOrigin(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this._csrfNeeded && token()) { this.setRequestHeader(header(), token()); }
    return send.apply(this, arguments);
  };
  if (window.fetch) {
    var originalFetch = window.fetch;
    window.fetch = function (resource, init) {
      var request = new Request(resource, init);
      if (!SAFE.test(request.method) && sameOrigin(request.url) && token() && !request.headers.has(header())) {
        request.headers.set(header(), token());
      }
      return originalFetch.call(window, request);
    };
  }
})();
