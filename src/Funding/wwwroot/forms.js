// The pages' forms post their command as JSON to the service's own API, as any client would, with the session
// cookie. A field the API names in its answer gets the message beside it; a recorded command shows its postings.
"use strict";

(function () {
  const amount = /^-?\d+(\.\d+)?$/;
  const grouped = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

  // "phases[0].budget.amount" -> ["phases", 0, "budget", "amount"]
  function pathOf(name) {
    return name.split(/[.[\]]+/).filter(Boolean).map(p => (/^\d+$/.test(p) ? Number(p) : p));
  }

  function put(target, path, value) {
    let node = target;
    path.forEach((key, i) => {
      if (i === path.length - 1) { node[key] = value; return; }
      if (node[key] === undefined) node[key] = typeof path[i + 1] === "number" ? [] : {};
      node = node[key];
    });
  }

  // Amounts go into the JSON as written (never through a float), so nothing is rounded on the way.
  function read(form) {
    const body = {}, raw = [], route = {}, problems = {}, nonce = crypto.randomUUID();
    for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      const value = input.value.trim();
      if (input.dataset.inPath) { route[input.name] = value; continue; }
      if (value === "" || input.dataset.rowDefault !== undefined) continue;
      if (input.dataset.kind === "number") {
        const text = grouped.test(value) ? value.replaceAll(",", "") : value;
        if (!amount.test(text)) { problems[input.name] = "Enter a number such as 1250000.00 (a point for decimals)."; continue; }
        const token = `${nonce}:${raw.length}`;
        raw.push(text);
        put(body, pathOf(input.name), token);
      } else {
        put(body, pathOf(input.name), value);
      }
    }
    // A row's default (say, the currency of a phase added to a revision) goes only with a row the user filled in.
    for (const input of form.querySelectorAll("input[data-row-default]")) {
      const path = pathOf(input.name);
      let row = body;
      for (const key of path.slice(0, -2)) row = row === undefined ? undefined : row[key];
      if (row !== undefined) put(body, path, input.value);
    }
    // Rows left wholly empty (say, a second rate) are not sent.
    for (const key of Object.keys(body)) if (Array.isArray(body[key])) body[key] = body[key].filter(x => x !== undefined);
    const json = JSON.stringify(body).replace(new RegExp(`"${nonce}:(\\d+)"`, "g"), (_, i) => raw[Number(i)]);
    return { json, route, problems };
  }

  function normalise(key) {
    return key.replace(/^\$\.?/, "").replace(/^([A-Z])/, c => c.toLowerCase());
  }

  function showErrors(form, errors, summary) {
    const unplaced = [];
    for (const [key, messages] of Object.entries(errors)) {
      let name = normalise(key), slot = null;
      while (name && !(slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`))) {
        name = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : "";
      }
      const text = [].concat(messages).join(" ");
      if (slot) {
        slot.textContent = text;
        const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
        if (field) field.setAttribute("aria-invalid", "true");
      } else {
        unplaced.push(text);
      }
    }
    if (unplaced.length || summary) summaryOf(form, [summary, ...unplaced].filter(Boolean).join(" "), "refused");
  }

  function summaryOf(form, text, kind) {
    const outcome = form.querySelector(".outcome");
    outcome.className = "outcome " + kind;
    outcome.textContent = text;
    return outcome;
  }

  function clear(form) {
    form.querySelectorAll("[data-error-for]").forEach(x => (x.textContent = ""));
    form.querySelectorAll("[aria-invalid]").forEach(x => x.removeAttribute("aria-invalid"));
    summaryOf(form, "", "");
  }

  function postings(form, recorded) {
    const outcome = summaryOf(form, `Recorded: ${recorded.events.join(", ")}.`, "recorded");
    if (!recorded.postings || recorded.postings.length === 0) {
      outcome.append(" No postings: nothing moved in the books.");
      return;
    }
    const table = document.createElement("table");
    table.className = "postings";
    table.innerHTML = "<caption>Postings made</caption><thead><tr><th scope='col'>Account</th><th scope='col' class='num'>Debit</th><th scope='col' class='num'>Credit</th></tr></thead>";
    const body = table.createTBody();
    for (const line of recorded.postings) {
      const row = body.insertRow();
      row.insertCell().textContent = `${line.accountCode} ${line.account}`;
      for (const amount of [line.debit, line.credit]) {
        const cell = row.insertCell();
        cell.className = "num";
        cell.textContent = amount ? amount.toLocaleString("en-US", { minimumFractionDigits: 2 }) : "";
      }
    }
    outcome.append(table);
  }

  async function submit(event) {
    const form = event.target;
    event.preventDefault();
    clear(form);
    const { json, route, problems } = read(form);
    if (Object.keys(problems).length) { showErrors(form, problems, "Nothing was recorded."); return; }
    const url = form.dataset.endpoint.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(route[name] || ""));
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      // One key per filled-in form: pressing twice, or retrying after a lost answer, records once.
      form.dataset.key = form.dataset.key || crypto.randomUUID();
      const answer = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": form.dataset.key },
        body: json,
        credentials: "same-origin",
      });
      const content = answer.headers.get("Content-Type") || "";
      const result = content.includes("json") ? await answer.json() : {};
      if (answer.ok) {
        delete form.dataset.key;
        if (form.dataset.reload) { window.location.reload(); return; }
        postings(form, result);
      } else if (answer.status === 401) {
        summaryOf(form, "Your session has ended: sign in again. Nothing was recorded.", "refused");
      } else if (answer.status === 403) {
        summaryOf(form, "Your role may not record this. Nothing was recorded.", "refused");
      } else {
        delete form.dataset.key;
        showErrors(form, result.errors || {}, `${result.detail || result.title || "Refused."} Nothing was recorded.`);
      }
    } catch (e) {
      summaryOf(form, "The service did not answer; press again to retry (it will not record twice).", "refused");
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-endpoint]").forEach(form => form.addEventListener("submit", submit));
  });
})();
