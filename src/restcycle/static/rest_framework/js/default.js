/* restcycle: the browsable API's behaviour under the name DRF's templates link
   (rest_framework/js/default.js): loads restcycle.js beside it unless the page already has it. */
(function () {
  "use strict";
  var self = document.currentScript;
  if (!self || document.querySelector("script[src*='rest_framework/js/restcycle']")) { return; }
  var script = document.createElement("script");
  script.src = new URL("restcycle.js", self.src).href;
  document.head.appendChild(script);
})();
