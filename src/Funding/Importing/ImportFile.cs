using System.Security.Cryptography;
using System.Text;

namespace Funding.Importing;

/// <summary>
/// A CSV file to import, read as a stream as many times as the import needs (once to survey it, once to import it),
/// never held in memory whole: a file on disk, a request body buffered to disk, or bytes a test hands in.
/// </summary>
public sealed class ImportFile
{
    /// <summary>UTF-8 as the README asks for, refusing anything else rather than reading it as something it is not.</summary>
    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly Func<Stream> open;
    readonly bool shared;

    /// <param name="open">Opens the file from its first byte.</param>
    /// <param name="shared">The stream belongs to someone else (a request body): rewound, never closed.</param>
    public ImportFile(Func<Stream> open, bool shared = false)
    {
        this.open = open;
        this.shared = shared;
    }

    public static ImportFile FromPath(string path) =>
        new(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));

    /// <summary>A seekable stream that stays its owner's, read from its start each time.</summary>
    public static ImportFile FromSeekable(Stream stream) => new(() =>
    {
        stream.Position = 0;
        return stream;
    }, shared: true);

    public static implicit operator ImportFile(byte[] bytes) => new(() => new MemoryStream(bytes, writable: false));

    /// <summary>The file as text; reading bytes that are not UTF-8 throws <see cref="DecoderFallbackException"/>.</summary>
    public TextReader OpenText() => new StreamReader(open(), Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: shared);

    /// <summary>
    /// One pass over the file before anything is decided: its digest (the SHA-256 of its bytes, which names it for
    /// "never twice"), whether it is UTF-8, how many rows it has and the funds it names, so their locks can be taken
    /// first, in order.
    /// </summary>
    public async Task<FileSurvey> SurveyAsync(ImportKind kind, CancellationToken cancellation)
    {
        var source = open();
        await using var hashing = new HashingStream(source, shared);
        using var text = new StreamReader(hashing, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        var funds = new HashSet<string>(StringComparer.Ordinal);
        var rows = 0;
        var utf8 = true;
        try
        {
            foreach (var row in CsvInput.Rows(text, ReadingTheFile.Required(kind), ReadingTheFile.Optional(kind), new ValidationErrors()))
            {
                cancellation.ThrowIfCancellationRequested();
                rows++;
                if (row.Text("fund_code") is { } code) funds.Add(code);
            }

            // Whatever the rows said, every byte counts for the digest.
            var rest = new char[1 << 14];
            while (await text.ReadAsync(rest, cancellation) > 0)
            {
            }
        }
        catch (DecoderFallbackException)
        {
            utf8 = false;
            await hashing.DrainAsync(cancellation);
        }

        return new FileSurvey(hashing.Digest(), utf8, rows, funds);
    }

    /// <summary>Hashes what passes through it.</summary>
    sealed class HashingStream(Stream inner, bool leaveOpen) : Stream
    {
        readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Digest() => Convert.ToHexStringLower(sha.GetHashAndReset());

        public async Task DrainAsync(CancellationToken cancellation)
        {
            var buffer = new byte[1 << 16];
            while (await ReadAsync(buffer, cancellation) > 0)
            {
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            sha.AppendData(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            sha.AppendData(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                sha.Dispose();
                if (!leaveOpen) inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>What one pass over a file found before anything was decided.</summary>
/// <param name="Utf8">False: the file is not UTF-8 text, and nothing more is read of it.</param>
/// <param name="Rows">Records after the header (a rates revision gathers several).</param>
/// <param name="FundCodes">Every fund code the file names, known or not.</param>
public sealed record FileSurvey(string Digest, bool Utf8, int Rows, IReadOnlySet<string> FundCodes);
