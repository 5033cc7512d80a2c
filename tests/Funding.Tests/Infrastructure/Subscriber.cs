using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Funding.Tests.Infrastructure;

/// <summary>One message as a consumer receives it: the AMQP properties Wolverine set, and the body.</summary>
public sealed record Delivery(string MessageId, string RoutingKey, string? MessageType, string? CorrelationId, JsonElement Body)
{
    public string Type => Body.GetProperty("messageType").GetString()!;
}

/// <summary>Reads the test's queue: everything delivered so far, acknowledged as read.</summary>
public sealed class Subscriber(RabbitMqServer broker, string queue)
{
    /// <summary>Starts keeping what the exchange routes by the pattern, from now on.</summary>
    public static async Task<Subscriber> ToAsync(RabbitMqServer broker, string exchange, string pattern = "#") =>
        new(broker, await broker.BindQueueAsync(exchange, pattern));

    readonly List<Delivery> received = [];

    public IReadOnlyList<Delivery> Received => received;

    /// <summary>Reads until the condition holds of everything received, or fails after the limit with what came.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitFor(Func<IReadOnlyList<Delivery>, bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await DrainAsync();
            if (condition(received)) return received;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"Waited {limit} for {what}; received {received.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, received.Select(x => $"{x.RoutingKey} {x.Body}"))}");
            await Task.Delay(200);
        }
    }

    /// <summary>Nothing more arrives within the time given (a review that found nothing changed sends nothing).</summary>
    public async Task NothingMoreWithin(TimeSpan time)
    {
        var before = received.Count;
        await Task.Delay(time);
        await DrainAsync();
        received.Skip(before).ShouldBeEmpty();
    }

    async Task DrainAsync()
    {
        try
        {
            await using var connection = await broker.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
                string? Header(string name) => headers.TryGetValue(name, out var value) && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
                using var body = JsonDocument.Parse(message.Body);
                received.Add(new Delivery(message.BasicProperties.MessageId ?? "", message.RoutingKey, message.BasicProperties.Type ?? Header("message-type"),
                    message.BasicProperties.CorrelationId ?? Header("correlation-id"), body.RootElement.Clone()));
            }
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            // The broker is down (a test stopped it): nothing to read until it is back.
        }
    }
}

/// <summary>The tests that start a broker take turns: one Erlang VM at a time next to the rest of the suite.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection
{
    public const string Name = "RabbitMQ";
}
