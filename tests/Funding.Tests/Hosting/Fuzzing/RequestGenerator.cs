using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Funding.Tests.Hosting.Fuzzing;

/// <summary>A request made from an operation of the document, and what was done to it.</summary>
public sealed record FuzzRequest(ApiOperation Operation, string Url, string? ContentType, byte[]? Body, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> Changes)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Operation.Method), Url);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }

        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        if (body.Length > 300) body = body[..300] + $"... ({Body!.Length} bytes)";
        return $"{Operation.Method} {Url} [{string.Join("; ", Changes)}] {ContentType} {body}";
    }
}

/// <summary>The ids and codes of a ledger the generated requests can name.</summary>
public sealed record KnownIds(Guid[] Funds, Guid[] Packages, Guid[] Contributions, string[] FundCodes, string[] PackageCodes);

/// <summary>
/// Builds requests from the document alone: a valid request from each operation's example or schema, then changed
/// the ways a careless or hostile client would change it (wrong types, missing and extra fields, boundary numbers,
/// dates at and past the limits, awkward Unicode, very long text, duplicate keys, deep nesting, ids that name nothing).
/// </summary>
public sealed class RequestGenerator(ApiDescription api, KnownIds ids, Random random)
{
    const string LoneSurrogate = "@@LONE-SURROGATE@@";

    /// <summary>Nesting is one of the changes: the generator itself must write and read any depth.</summary>
    static readonly JsonSerializerOptions Deep = new() { MaxDepth = 1_000 };

    static readonly string[] Dates = ["2024-06-30", "2024-09-03", "2024-12-31", "2025-01-20", "2024-03-01"];
    static readonly string[] EdgeDates = ["1945-10-24", "1945-10-23", "2100-12-31", "2101-01-01", "0001-01-01", "9999-12-31", "2024-02-30", "2024-13-01", "24-01-01", "2024-1-1", "2024-06-30T00:00:00Z", ""];
    static readonly string[] Currencies = ["USD", "EUR", "NOK", "SEK", "JPY", "KWD"];
    static readonly string[] OddText =
    [
        "", " ", "A\u0000B", "\u0000", "tab\there", "line\nbreak", "\u200Fright-to-left\u200F", "\u202Eoverride", "e\u0301\u0301\u0301", "😀💶",
        "\u001b[31m", "\u0085next-line", "\u007f", LoneSurrogate, "' or 1=1 --", "<script>", "%00", "..\\..", "\uFEFF", "ẞ", "ⅨⅫ",
    ];

    int keys;
    readonly List<string> usedKeys = [];

    public FuzzRequest Next(ApiOperation operation)
    {
        var changes = new List<string>();
        var url = Url(operation, changes);
        var headers = Headers(changes);
        if (operation.Method is not ("POST" or "PUT")) return new FuzzRequest(operation, url, null, null, headers, changes);
        var (contentType, body) = operation.BodyMediaType == "text/csv" || operation.BodySchema is null && operation.Path.Contains("csv", StringComparison.Ordinal) || operation.Path.Contains("/imports/", StringComparison.Ordinal)
            ? Csv(operation, url, changes)
            : Json(operation, changes);
        return new FuzzRequest(operation, url, contentType, body, headers, changes);
    }

    string Url(ApiOperation operation, List<string> changes)
    {
        var path = operation.Path;
        foreach (var parameter in operation.Parameters.Where(x => x.In == "path"))
        {
            var value = PathValue(parameter, changes);
            path = path.Replace("{" + parameter.Name + "}", Escape(value), StringComparison.Ordinal);
        }

        var query = new List<string>();
        foreach (var parameter in operation.Parameters.Where(x => x.In == "query"))
        {
            if (random.Next(10) >= 4) continue;
            var odd = random.Next(3) == 0;
            var value = odd ? OddQueryValue(parameter) : ValidQueryValue(parameter);
            if (odd) changes.Add($"query {parameter.Name}={Show(value)}");
            query.Add($"{Uri.EscapeDataString(parameter.Name)}={Escape(value)}");
            if (random.Next(40) == 0)
            {
                query.Add($"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(ValidQueryValue(parameter))}");
                changes.Add($"query {parameter.Name} twice");
            }
        }

        if (random.Next(40) == 0)
        {
            query.Add("unexpected=1");
            changes.Add("unknown query parameter");
        }

        return query.Count == 0 ? path : $"{path}?{string.Join("&", query)}";
    }

    string PathValue(ApiParameter parameter, List<string> changes)
    {
        var name = parameter.Name;
        if (random.Next(10) < 7)
        {
            return name switch
            {
                "fundId" => Pick(ids.Funds).ToString(),
                "packageId" => Pick(ids.Packages).ToString(),
                "contributionId" => Pick(ids.Contributions).ToString(),
                "streamId" => Pick([.. ids.Funds, .. ids.Packages, .. ids.Contributions]).ToString(),
                "currency" => Pick(Currencies),
                "date" => Pick(Dates),
                "kind" => Pick(["deposits", "pledges", "agreements"]),
                _ => "x",
            };
        }

        var odd = Pick(
        [
            Guid.NewGuid().ToString(), Guid.Empty.ToString(), "abc", "123", "00000000-0000-0000-0000-00000000000g", new string('9', 300), "é",
            "rates", "-1", Pick(OddText), "2024-13-45",
        ]);
        // A NUL in a path never reaches the service: the server refuses the request line itself.
        odd = odd.Replace("\u0000", "", StringComparison.Ordinal);
        changes.Add($"path {name}={Show(odd)}");
        return odd.Length == 0 ? " " : odd;
    }

    string ValidQueryValue(ApiParameter parameter)
    {
        var schema = api.Resolve(parameter.Schema);
        if (schema?["enum"] is JsonArray values) return Pick(values.OfType<JsonNode>().Select(x => x.GetValue<string>()).ToArray());
        return parameter.Name switch
        {
            "asAt" or "knownOn" or "asOf" or "from" or "to" or "recordedFrom" or "recordedTo" => Pick(Dates),
            "period" => Pick(["2024-06", "2024-12", "2024", "2025"]),
            "page" => Pick(["1", "2"]),
            "pageSize" => Pick(["1", "10", "500"]),
            "horizonDays" => Pick(["0", "60", "365"]),
            "country" => Pick(["CF", "NP", "FR"]),
            "donor" => Pick(["Norway", "Sweden", "Nobody"]),
            "fundId" => Pick(ids.Funds).ToString(),
            "packageId" => Pick(ids.Packages).ToString(),
            "user" => "tester",
            "type" => Pick(["DepositReceived", "FundsAllocated"]),
            "reference" => $"UNORE FZ-{random.Next(1000)}",
            "dryRun" or "mandated" => Pick(["true", "false"]),
            _ when Types(schema).Contains("boolean") => "true",
            _ when Types(schema).Contains("integer") => "1",
            _ => "CF",
        };
    }

    string OddQueryValue(ApiParameter parameter) =>
        Pick(
        [
            "-1", "0", "99", "2147483648", "99999999999999999999", "1.5", "abc", "true", "Bogus", "nOnE", .. EdgeDates, .. OddText,
            new string('x', 300), Guid.Empty.ToString(), "2024-06-30%00",
        ]);

    /// <summary>A value for a URL; the lone surrogate stands for bytes that are not UTF-8 at all.</summary>
    static string Escape(string value) => value == LoneSurrogate ? "%FF%FE" : Uri.EscapeDataString(value);

    List<KeyValuePair<string, string>> Headers(List<string> changes)
    {
        var headers = new List<KeyValuePair<string, string>>();
        switch (random.Next(20))
        {
            case < 4:
                var key = $"fuzz-{++keys}-{Guid.NewGuid():N}";
                usedKeys.Add(key);
                headers.Add(new("Idempotency-Key", key));
                break;
            case 4 when usedKeys.Count > 0:
                headers.Add(new("Idempotency-Key", Pick(usedKeys.ToArray())));
                changes.Add("a used Idempotency-Key");
                break;
            case 5:
                headers.Add(new("Idempotency-Key", Pick([new string('k', 201), "ключ", " ", "a b\u0001"])));
                changes.Add("a bad Idempotency-Key");
                break;
            case 6:
                headers.Add(new("X-Correlation-Id", Pick([new string('c', 101), "корреляция", "ok-123"])));
                changes.Add("X-Correlation-Id");
                break;
        }

        return headers;
    }

    (string ContentType, byte[] Body) Json(ApiOperation operation, List<string> changes)
    {
        var body = operation.BodyExample?.DeepClone() ?? Valid(operation.BodySchema, "body", 0) ?? new JsonObject();
        Substitute(body, operation);
        var contentType = "application/json";
        var rounds = random.Next(12) == 0 ? 0 : 1 + random.Next(random.Next(3) + 1);
        string? text = null;
        for (var i = 0; i < rounds && text is null; i++)
        {
            switch (random.Next(16))
            {
                case 0 or 1:
                    if (RandomField(body, out var parent, out var name))
                    {
                        parent!.Remove(name!);
                        changes.Add($"removed {name}");
                    }

                    break;
                case 2:
                    var target = RandomObject(body);
                    var extra = Pick(["unexpected", "status", "approvedBy", "__proto__", "Amount", "$type"]);
                    target[extra] = Pick<JsonNode?>([JsonValue.Create(1), JsonValue.Create("x"), null, new JsonObject()]);
                    changes.Add($"extra field {extra}");
                    break;
                case 3 or 4:
                    Replace(body, changes, "wrong type", WrongType);
                    break;
                case 5 or 6:
                    Replace(body, changes, "number", node => node?.GetValueKind() == JsonValueKind.Number || random.Next(3) == 0 ? BoundaryNumber() : node);
                    break;
                case 7 or 8:
                    Replace(body, changes, "text", node => node?.GetValueKind() == JsonValueKind.String || random.Next(4) == 0 ? OddString() : node);
                    break;
                case 9:
                    Replace(body, changes, "date", node => node?.GetValueKind() == JsonValueKind.String || random.Next(4) == 0 ? JsonValue.Create(Pick(EdgeDates)) : node);
                    break;
                case 10:
                    Replace(body, changes, "null", _ => null);
                    break;
                case 11:
                    Replace(body, changes, "deep nesting", _ => Nested(20 + random.Next(30)));
                    break;
                case 12:
                    text = DuplicateKey(body.ToJsonString(Deep));
                    changes.Add("duplicate key");
                    break;
                case 13:
                    var whole = body.ToJsonString(Deep);
                    text = whole[..random.Next(0, Math.Max(1, whole.Length - 1))];
                    changes.Add("truncated");
                    break;
                case 14:
                    text = Pick(["", "null", "[]", "\"text\"", "42", "{", "{}}", "{\"a\":1,}", "\uFEFF{}", new string('[', 100)]);
                    changes.Add("not an object");
                    break;
                default:
                    contentType = Pick(["text/plain", "application/xml", "application/x-www-form-urlencoded", "text/csv", "application/json; charset=latin1"]);
                    changes.Add($"content type {contentType}");
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes((text ?? body.ToJsonString(Deep)).Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal));
        if (random.Next(60) == 0 && bytes.Length > 2)
        {
            // Bytes that are not UTF-8 at all.
            var at = random.Next(1, bytes.Length - 1);
            bytes = [.. bytes[..at], 0xFF, 0xFE, .. bytes[at..]];
            changes.Add("invalid UTF-8 bytes");
        }

        return (contentType, bytes);
    }

    /// <summary>Ids in an example name the example's ledger: point them at this one's, or at nothing.</summary>
    void Substitute(JsonNode body, ApiOperation operation)
    {
        foreach (var (parent, name, value) in Fields(body).ToList())
        {
            if (value?.GetValueKind() != JsonValueKind.String) continue;
            var replacement = name switch
            {
                "fundId" => Pick(ids.Funds).ToString(),
                "earmarkedPackageId" => random.Next(3) == 0 ? Pick(ids.Packages).ToString() : null,
                "reference" when operation.Path.StartsWith("/api/contributions", StringComparison.Ordinal) => $"FZ-{random.Next(400)}",
                "code" => $"FZ-{random.Next(100_000)}",
                _ => value.GetValue<string>(),
            };
            if (replacement is null) parent.Remove(name);
            else parent[name] = replacement;
        }
    }

    (string ContentType, byte[] Body) Csv(ApiOperation operation, string url, List<string> changes)
    {
        var kind = url.Contains("/imports/pledges", StringComparison.Ordinal) ? "pledges"
            : url.Contains("/imports/agreements", StringComparison.Ordinal) ? "agreements"
            : url.Contains("/imports/", StringComparison.Ordinal) ? "deposits" : "rates";
        var fund = Pick(ids.FundCodes);
        var rows = new List<List<string>>
        {
            kind switch
            {
                "rates" => ["effective_date", "currency", "units_per_usd"],
                "pledges" => ["reference", "fund_code", "donor", "amount", "currency", "pledged_on"],
                "agreements" => ["reference", "fund_code", "donor", "amount", "currency", "signed_on"],
                _ => ["reference", "fund_code", "donor", "amount", "currency", "value_date", "transaction_reference"],
            },
        };
        for (var i = 0; i < 1 + random.Next(3); i++)
        {
            rows.Add(kind == "rates"
                ? [Pick(Dates), Pick(["EUR", "NOK", "SEK"]), "0.93"]
                : [$"FZ-CSV-{random.Next(100_000)}", fund, "Donor CSV", "100.00", "USD", Pick(Dates), .. kind == "deposits" ? [$"FZ-TX-{random.Next(100_000)}"] : Array.Empty<string>()]);
        }

        var rounds = random.Next(8) == 0 ? 0 : 1 + random.Next(2);
        byte[]? raw = null;
        for (var i = 0; i < rounds; i++)
        {
            var row = rows[1 + random.Next(rows.Count - 1)];
            var cell = random.Next(row.Count);
            switch (random.Next(8))
            {
                case 0:
                    row[cell] = Pick(OddText).Replace(LoneSurrogate, "\ud800", StringComparison.Ordinal);
                    changes.Add($"csv cell {Show(row[cell])}");
                    break;
                case 1:
                    row[cell] = Pick(["1,000.00", "1e3", "-5", "0", "12.345", "abc", "79228162514264337593543950336", .. EdgeDates]);
                    changes.Add($"csv value {row[cell]}");
                    break;
                case 2:
                    row.Add("extra");
                    changes.Add("csv extra field");
                    break;
                case 3:
                    rows[0][random.Next(rows[0].Count)] = Pick(["unknown", "", "AMOUNT", "reference\u0000"]);
                    changes.Add("csv header");
                    break;
                case 4:
                    row[cell] = new string('x', 2000);
                    changes.Add("csv long cell");
                    break;
                case 5:
                    raw = Pick<byte[]>([[], [0xFF, 0xFE, 0x41], Encoding.UTF8.GetBytes("\uFEFF"), Encoding.UTF8.GetBytes("\"unterminated")]);
                    changes.Add("csv not a file");
                    break;
                default:
                    row.RemoveAt(cell);
                    changes.Add("csv missing field");
                    break;
            }
        }

        var text = string.Join(random.Next(4) == 0 ? "\r\n" : "\n", rows.Select(r => string.Join(",", r.Select(Quote)))) + "\n";
        var contentType = random.Next(25) == 0 ? "application/json" : "text/csv";
        if (contentType != "text/csv") changes.Add($"content type {contentType}");
        return (contentType, raw ?? Encoding.UTF8.GetBytes(text));

        static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }

    /// <summary>A valid value for a schema: enum members, known ids, plausible dates, amounts and names.</summary>
    JsonNode? Valid(JsonNode? schemaNode, string name, int depth)
    {
        var schema = api.Resolve(schemaNode);
        if (schema is null || depth > 6) return null;
        if (schema["oneOf"] is JsonArray choices) return Valid(choices.FirstOrDefault(x => x?["type"]?.ToString() != "null"), name, depth);
        if (schema["enum"] is JsonArray members) return JsonValue.Create(Pick(members.OfType<JsonNode>().Select(x => x.GetValue<string>()).ToArray()));
        var types = Types(schema);
        if (types.Contains("object") || schema["properties"] is not null)
        {
            var result = new JsonObject();
            var required = (schema["required"]?.AsArray() ?? []).Select(x => x!.GetValue<string>()).ToHashSet();
            foreach (var (property, propertySchema) in schema["properties"]?.AsObject() ?? [])
            {
                if (!required.Contains(property) && random.Next(10) < 3) continue;
                if (property is "rate" or "rateOverrideReason" or "mandate" or "electionDay" or "indirectCostPercent" or "earmarkedPackageId") continue;
                result[property] = Valid(propertySchema, property, depth + 1);
            }

            if (result.ContainsKey("amount") && result.ContainsKey("currency") && result.Count == 2) result["currency"] = "USD";
            return result;
        }

        if (types.Contains("array")) return new JsonArray(Valid(schema["items"], name, depth + 1));
        if (schema["format"]?.GetValue<string>() == "date" || name.EndsWith("On", StringComparison.Ordinal) || name is "asOf" or "monthEnd" or "valueDate" or "dueOn")
            return JsonValue.Create(name == "monthEnd" ? "2024-06-30" : Pick(Dates));
        if (schema["format"]?.GetValue<string>() == "uuid")
            return JsonValue.Create((name == "fundId" ? Pick(ids.Funds) : name.Contains("ackage", StringComparison.Ordinal) ? Pick(ids.Packages) : Guid.NewGuid()).ToString());
        if (types.Contains("integer")) return JsonValue.Create(name == "year" ? 2024 : 1);
        if (types.Contains("number")) return JsonValue.Create(name.Contains("ercent", StringComparison.Ordinal) ? 1m : name == "unitsPerUsd" ? 0.93m : Math.Round((decimal)random.NextDouble() * 1000m + 1m, 2));
        if (types.Contains("boolean")) return JsonValue.Create(true);
        return JsonValue.Create(name switch
        {
            "currency" => "USD",
            "country" => Pick(["CF", "NP"]),
            "code" => $"FZ-{random.Next(100_000)}",
            "reference" => $"FZ-{random.Next(1000)}",
            "donor" => "Donor Z",
            "implementingOrganisation" => "UNDP",
            "phase" => "Polling",
            _ => "Fuzz text",
        });
    }

    static HashSet<string> Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray many => many.Select(x => x!.GetValue<string>()).ToHashSet(),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };

    JsonNode? WrongType(JsonNode? original) => original?.GetValueKind() switch
    {
        JsonValueKind.String => Pick<JsonNode?>([JsonValue.Create(-1), new JsonArray(1, "two"), new JsonObject { ["a"] = true }, JsonValue.Create(true), JsonValue.Create(1.5e300)]),
        JsonValueKind.Number => Pick<JsonNode?>([JsonValue.Create("twelve"), JsonValue.Create("12"), new JsonArray(1), new JsonObject { ["a"] = 1 }, JsonValue.Create(false)]),
        JsonValueKind.Array => Pick<JsonNode?>([JsonValue.Create("list"), JsonValue.Create(3), new JsonObject { ["a"] = 1 }]),
        JsonValueKind.Object => Pick<JsonNode?>([JsonValue.Create("object"), JsonValue.Create(3), new JsonArray(1, 2), new JsonArray()]),
        _ => Pick<JsonNode?>([JsonValue.Create("x"), JsonValue.Create(1), new JsonObject()]),
    };

    JsonNode BoundaryNumber() => Pick<JsonNode>(
    [
        JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(-0.01m), JsonValue.Create(0.001m), JsonValue.Create(1.123456789m),
        JsonValue.Create(1e30), JsonValue.Create(1e-30), JsonValue.Create(int.MaxValue), JsonValue.Create(long.MinValue),
        JsonNode.Parse("1e3")!, JsonNode.Parse("1E+2")!, JsonNode.Parse("79228162514264337593543950336")!, JsonNode.Parse("7.9228162514264337593543950335E28")!,
        JsonNode.Parse("123456789012345678901234567890.123")!, JsonNode.Parse("-0")!, JsonNode.Parse("0.0000000000000000000000000001")!,
    ]);

    JsonNode OddString() => JsonValue.Create(random.Next(6) == 0 ? new string(Pick(['x', 'é', 'Ω', 'A']), 1000 + random.Next(70_000)) : Pick(OddText))!;

    static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create(1)!;
        for (var i = 0; i < depth; i++) node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        return node;
    }

    string DuplicateKey(string json)
    {
        var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 1_000 }) as JsonObject;
        if (node is null || node.Count == 0) return json + json;
        var (name, value) = node.ElementAt(random.Next(node.Count));
        var copy = JsonSerializer.Serialize(name) + ":" + (value?.ToJsonString(Deep) ?? "null");
        return "{" + copy + "," + json[1..];
    }

    void Replace(JsonNode body, List<string> changes, string what, Func<JsonNode?, JsonNode?> change)
    {
        if (!RandomField(body, out var parent, out var name)) return;
        var before = parent![name!];
        var after = change(before?.DeepClone());
        parent[name!] = after;
        changes.Add($"{what} {name}={Show(after?.ToJsonString(Deep) ?? "null")}");
    }

    bool RandomField(JsonNode body, out JsonObject? parent, out string? name)
    {
        var fields = Fields(body).ToList();
        if (fields.Count == 0)
        {
            (parent, name) = (null, null);
            return false;
        }

        (parent, name, _) = fields[random.Next(fields.Count)];
        return true;
    }

    JsonObject RandomObject(JsonNode body)
    {
        var objects = Objects(body).ToList();
        return objects.Count == 0 ? (JsonObject)body : objects[random.Next(objects.Count)];
    }

    static IEnumerable<(JsonObject Parent, string Name, JsonNode? Value)> Fields(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    yield return (o, name, value);
                    foreach (var inner in Fields(value)) yield return inner;
                }

                break;
            case JsonArray a:
                foreach (var item in a.ToList())
                {
                    foreach (var inner in Fields(item)) yield return inner;
                }

                break;
        }
    }

    static IEnumerable<JsonObject> Objects(JsonNode? node) =>
        node switch
        {
            JsonObject o => o.Select(x => x.Value).SelectMany(Objects).Prepend(o),
            JsonArray a => a.SelectMany(Objects),
            _ => [],
        };

    T Pick<T>(IReadOnlyList<T> options) => options[random.Next(options.Count)];

    static string Show(string text)
    {
        var shown = string.Concat(text.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return text.Length > 40 ? $"{shown}...({text.Length})" : shown;
    }
}
