// Starts Scalar on the element that names the OpenAPI document; fonts come from the page's own
// styles (withDefaultFonts: false), so nothing is fetched from another origin.
(function () {
  var element = document.getElementById("api-reference");
  Scalar.createApiReference(element, {
    url: element.dataset.url,
    withDefaultFonts: false,
    hideClientButton: true,
    telemetry: false,
  });
})();
