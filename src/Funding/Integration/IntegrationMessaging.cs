using Wolverine;
using Wolverine.RabbitMQ;

namespace Funding.Integration;

/// <summary>Where the integration messages go. Without <see cref="RabbitMq"/> nothing is published.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Funding:Messaging";

    /// <summary>The broker, as an AMQP URI: <c>amqp://user:password@host:5672/vhost</c> (<c>amqps://</c> for TLS).</summary>
    public string? RabbitMq { get; set; }

    /// <summary>The topic exchange the messages are published to; declared if missing.</summary>
    public string Exchange { get; set; } = "funding";

    public bool Enabled => !string.IsNullOrWhiteSpace(RabbitMq);
}

/// <summary>A messaging setting the service cannot start with.</summary>
public sealed class MessagingConfigurationException(string message) : Exception(message);

public static class IntegrationMessaging
{
    /// <summary>The settings, checked: a broker address that is not an AMQP URI, or an exchange name RabbitMQ refuses, stops the start.</summary>
    public static MessagingOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        if (!options.Enabled) return options;
        if (!Uri.TryCreate(options.RabbitMq, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
            throw new MessagingConfigurationException(
                "Funding__Messaging__RabbitMq must be an AMQP URI such as amqp://user:password@broker:5672/ (amqps:// for TLS).");
        if (options.Exchange.Length is 0 or > 255 || !options.Exchange.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            throw new MessagingConfigurationException(
                "Funding__Messaging__Exchange must be 1 to 255 letters, digits, '-', '_', '.' or ':'.");
        return options;
    }

    /// <summary>
    /// RabbitMQ through Wolverine: every <see cref="IIntegrationMessage"/> to one topic exchange, routed by
    /// <see cref="IntegrationRouting.RoutingKey"/>, through the durable outbox (as every sending endpoint here). Flag
    /// reviews asked for within a second are handled as one.
    /// </summary>
    public static void Configure(WolverineOptions opts, MessagingOptions messaging)
    {
        // It only publishes: no reply queue per node to declare, and to leave behind on the broker.
        opts.UseRabbitMq(new Uri(messaging.RabbitMq!)).AutoProvision().DisableSystemRequestReplyQueueDeclaration()
            // A send counts once the broker has confirmed it: only then does the outbox forget the message. Unconfirmed,
            // a publish can still sit in the client's buffer when the process dies, after its outbox row is deleted.
            .ConfigureChannelCreation(channels =>
            {
                channels.PublisherConfirmationsEnabled = true;
                channels.PublisherConfirmationTrackingEnabled = true;
            });
        opts.PublishMessagesToRabbitMqExchange<IIntegrationMessage>(messaging.Exchange, IntegrationRouting.RoutingKey);
        opts.BatchMessagesOf<ReviewPackageFlags>(batching =>
        {
            batching.BatchSize = 1000;
            batching.TriggerTime = TimeSpan.FromSeconds(1);
        }).Sequential();
    }
}
