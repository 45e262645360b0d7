// YASGUI over /sparql, with the project's prefixes and the competency questions as examples.
"use strict";
(function () {
  const element = document.getElementById("yasgui");
  if (!element || typeof Yasgui === "undefined") return; // the plain form stays
  const config = JSON.parse(document.getElementById("rlskg-query-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).href;
  // What was typed survives a reload of this tab (sessionStorage), unless the URL asks for a query.
  const SAVED = "rlskg-query";
  let saved = null;
  try { saved = config.fromUrl ? null : window.sessionStorage.getItem(SAVED); } catch (_e) { saved = null; }
  element.replaceChildren();
  const yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null, // no localStorage: the page opens on what its URL asks for
    populateFromUrl: false,
    autofocus: false,
    yasqe: {
      value: saved || config.query,
      // Offline: only completers that need no network (LOV and prefix.cc are not reached).
      autocompleters: ["prefixes", "variables"],
    },
    // ASK answers as a yes or no (the boolean plugin), not raw JSON; IRIs and datatypes as CURIEs.
    yasr: { defaultPlugin: "table", pluginOrder: ["table", "boolean", "response"], prefixes: config.prefixes },
  });
  window.rlskgYasgui = yasgui; // for the browser tests and the console

  function remember(tab) {
    const yasqe = tab && tab.getYasqe && tab.getYasqe();
    if (!yasqe || yasqe.rlskgRemembered) return;
    yasqe.rlskgRemembered = true;
    yasqe.on("change", function () {
      try { window.sessionStorage.setItem(SAVED, yasqe.getValue()); } catch (_e) { /* storage off: nothing kept */ }
    });
  }
  remember(yasgui.getTab());
  yasgui.on("tabSelect", function (_instance, id) { setTimeout(function () { remember(yasgui.getTab(id)); }, 0); });

  // Result IRIs of this graph open their page on this site, not at https://w3id.org/rlskg/.
  const BASE = "https://w3id.org/rlskg/";
  function localise(root) {
    root.querySelectorAll("a[href^='" + BASE + "']").forEach(function (link) {
      const rest = link.getAttribute("href").slice(BASE.length);
      link.setAttribute("href", "/" + rest); // every IRI of the graph dereferences here
    });
  }
  new MutationObserver(function () { localise(element); }).observe(element, { childList: true, subtree: true });

  function addPrefixes(tab) {
    const yasqe = tab.getYasqe && tab.getYasqe();
    if (yasqe && yasqe.addPrefixes) {
      const used = yasqe.getPrefixesFromQuery ? yasqe.getPrefixesFromQuery() : {};
      const missing = {};
      for (const [prefix, iri] of Object.entries(config.prefixes)) {
        if (!(prefix in used) && new RegExp("\\b" + prefix + ":").test(yasqe.getValue())) missing[prefix] = iri;
      }
      if (Object.keys(missing).length) yasqe.addPrefixes(missing);
    }
  }
  yasgui.on("queryBefore", function (_instance, tab) { addPrefixes(tab); });

  const byName = {};
  for (const example of config.examples) byName[example.name] = example;
  document.querySelectorAll("a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      const example = byName[link.dataset.example];
      if (!example) return;
      event.preventDefault();
      const tab = yasgui.addTab(true, { name: example.name, yasqe: { value: example.query }, requestConfig: { endpoint: endpoint } });
      tab.show();
      const yasqe = tab.getYasqe();
      if (yasqe) yasqe.setValue(example.query);
    });
  });
})();
