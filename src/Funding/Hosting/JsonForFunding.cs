using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Funding.Hosting;

/// <summary>One JSON shape for events, documents, messages and HTTP: NodaTime as ISO text, enums by name.</summary>
public static class JsonForFunding
{
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
