// The API page: Swagger UI over /openapi.json (vendored from npm; the route table stays without it).
"use strict";
(function () {
  const element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") return;
  element.replaceChildren();
  window.rlskgSwagger = SwaggerUIBundle({
    url: new URL(element.dataset.url, window.location.href).href,
    domNode: element,
    deepLinking: true,
    validatorUrl: null, // no request to any other site
    defaultModelsExpandDepth: -1,
    docExpansion: "list",
    tryItOutEnabled: false,
  });
})();
