// claimtrace review page: select a claim in the article; submit claim filters as they change.
// Plain script, no dependencies; every page works without it.
"use strict";

(function () {
  function selectClaim(index, scrollText) {
    const cards = document.querySelectorAll(".claim-card");
    cards.forEach((card) => card.classList.toggle("selected", card.dataset.index === String(index)));
    document.querySelectorAll(".run.sel").forEach((run) => run.classList.remove("sel"));
    const runs = Array.from(document.querySelectorAll(".run[data-claims]")).filter((run) =>
      run.dataset.claims.split(" ").includes(String(index))
    );
    runs.forEach((run) => run.classList.add("sel"));
    const card = document.querySelector('.claim-card[data-index="' + index + '"]');
    if (card) {
      card.scrollIntoView({ block: "nearest" });
      if (history.replaceState) history.replaceState(null, "", "#" + card.id);
    }
    if (scrollText && runs.length) runs[0].scrollIntoView({ block: "center" });
  }

  function innermost(claims) {
    // A run inside a nested claim belongs to several: pick the one with the shortest content.
    let best = claims[0];
    let bestLength = Infinity;
    claims.forEach((index) => {
      const length = Array.from(document.querySelectorAll(".run[data-claims]"))
        .filter((run) => run.dataset.claims.split(" ").includes(index))
        .reduce((sum, run) => sum + run.textContent.length, 0);
      if (length < bestLength) { best = index; bestLength = length; }
    });
    return best;
  }

  function setUpArticle() {
    const article = document.getElementById("article-text");
    if (!article) return;
    article.addEventListener("click", (event) => {
      const run = event.target.closest(".run[data-claims]");
      if (!run) return;
      const claims = run.dataset.claims.split(" ");
      const current = document.querySelector(".claim-card.selected");
      let choice = innermost(claims);
      // Clicking again where claims nest steps from the selected claim to the next one there.
      if (current && claims.length > 1 && claims.includes(current.dataset.index)) {
        choice = claims[(claims.indexOf(current.dataset.index) + 1) % claims.length];
      }
      selectClaim(choice, false);
    });
    document.querySelectorAll(".claim-card").forEach((card) => {
      const choose = (event) => {
        if (event.target.closest("a")) return;
        selectClaim(card.dataset.index, true);
      };
      card.addEventListener("click", choose);
      card.addEventListener("keydown", (event) => { if (event.key === "Enter") choose(event); });
    });
    document.querySelectorAll("[data-select]").forEach((link) => {
      link.addEventListener("click", (event) => {
        const card = document.getElementById("claim-" + link.dataset.select);
        if (card) { event.preventDefault(); selectClaim(card.dataset.index, true); }
      });
    });
    const wanted = article.dataset.selected || decodeURIComponent(location.hash.replace(/^#claim-/, ""));
    const card = wanted && document.getElementById("claim-" + wanted);
    if (card) selectClaim(card.dataset.index, true);
  }

  function setUpFilters() {
    const form = document.getElementById("claim-filters");
    if (!form) return;
    form.querySelectorAll("select").forEach((select) => {
      select.addEventListener("change", () => form.requestSubmit());
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpArticle();
    setUpFilters();
  });
})();
