/* Browsable API behaviour: requests with methods an HTML form cannot send (PUT, PATCH,
   DELETE, OPTIONS), the raw-data form, tabs, menus and dialogs. No dependencies. */
(function () {
  "use strict";

  var config = {};
  try {
    config = JSON.parse(document.getElementById("drf_csrf").textContent);
  } catch (error) { config = {}; }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field && field.value) { return field.value; }
    return config.csrfToken || "";
  }

  function csrfHeader() {
    return config.csrfHeaderName || "X-CSRFToken";
  }

  /* Show the response page in place of this one, as a normal form submission would. */
  function showResponse(response, url) {
    return response.text().then(function (text) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") !== 0) {
        // A non-HTML answer (e.g. a 204 turned into a redirect): reload the resource.
        window.location.href = url;
        return;
      }
      if (response.redirected && response.url) {
        window.history.replaceState(null, "", response.url);
      }
      document.open();
      document.write(text);
      document.close();
    });
  }

  function send(form, method, submitter) {
    var url = form.getAttribute("action") || window.location.href;
    var headers = { "Accept": "text/html" };
    var payload = null;
    headers[csrfHeader()] = csrfToken();

    if (form.hasAttribute("data-raw-form")) {
      var typeField = form.querySelector("[data-override=content-type]");
      var contentField = form.querySelector("[data-override=content]");
      if (typeField) { headers["Content-Type"] = typeField.value; }
      payload = contentField ? contentField.value : "";
    } else if (method !== "DELETE" && method !== "OPTIONS") {
      payload = new FormData(form, submitter);
    }
    var confirmText = form.getAttribute("data-confirm");
    if (confirmText && !window.confirm(confirmText)) { return; }

    fetch(url, { method: method, headers: headers, body: payload, credentials: "same-origin" })
      .then(function (response) { return showResponse(response, url); })
      .catch(function (error) { window.alert("The request failed: " + error); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("method") === "dialog") { return; }
    var submitter = event.submitter || null;
    var method = (submitter && submitter.getAttribute("data-method")) ||
                 form.getAttribute("data-method");
    if (!method && !form.hasAttribute("data-raw-form")) { return; }  // a native POST
    event.preventDefault();
    send(form, (method || form.getAttribute("method") || "POST").toUpperCase(), submitter);
  });

  /* Tabs: HTML form / Raw data. */
  document.addEventListener("click", function (event) {
    var tab = event.target.closest("[data-tab]");
    if (tab) {
      var list = tab.parentNode;
      var section = list.parentNode;
      Array.prototype.forEach.call(list.querySelectorAll("[data-tab]"), function (other) {
        var active = other === tab;
        other.classList.toggle("active", active);
        other.setAttribute("aria-selected", active ? "true" : "false");
        var pane = document.getElementById(other.getAttribute("data-tab"));
        if (pane && pane.parentNode === section) { pane.classList.toggle("active", active); }
      });
      return;
    }
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && dialog.showModal) { dialog.showModal(); }
      return;
    }
    // A click outside an open menu closes it.
    Array.prototype.forEach.call(document.querySelectorAll("details.menu[open], details.user-menu[open]"),
      function (menu) { if (!menu.contains(event.target)) { menu.removeAttribute("open"); } });
  });

  /* Changing the raw form's media type keeps the example body only for JSON. */
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("[data-override=content-type]")) { return; }
    var content = select.form && select.form.querySelector("[data-override=content]");
    if (!content) { return; }
    if (!content.hasAttribute("data-initial")) { content.setAttribute("data-initial", content.value); }
    content.value = select.value.indexOf("json") !== -1 ? content.getAttribute("data-initial") : "";
  });
})();
