using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Funding.Shared;

/// <summary>One JSON shape for events, documents, messages and HTTP: NodaTime as ISO text, enums by name.</summary>
public static class JsonForFunding
{
    /// <summary>Web defaults (camelCase) in the service's shape, for whatever serialises outside ASP.NET and Marten.</summary>
    public static JsonSerializerOptions CreateWeb(bool indented = false)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = indented };
        Configure(options);
        return options;
    }

    public static void Configure(JsonSerializerOptions options)
    {
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            // Names only: a number would slip in values no enum has.
            options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        }
    }
}
