package io.jobway.examples.email;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.aws.Config;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.json.Json;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/**
 * Job type {@code email}: sends one plain-text message over SMTP. Payload: {@code {"to", "subject", "text"}}.
 * A bad address fails the job at once; an unreachable or refusing server fails the attempt, so the worker retries
 * with backoff and the job ends dead with the SMTP error when attempts run out.
 *
 * <p>Settings, from the worker's environment: {@code SMTP_HOST}, {@code SMTP_PORT} (587), {@code SMTP_FROM},
 * {@code SMTP_USERNAME} and {@code SMTP_PASSWORD} (optional), {@code SMTP_STARTTLS} ({@code required},
 * {@code optional} or {@code off}; {@code required} unless set, so credentials never cross the network in clear).
 */
public final class EmailHandler implements JobHandler {
    private static final Duration MAX_SMTP_WAIT = Duration.ofSeconds(20);
    private SmtpSettings settings;

    @Override
    public String type() {
        return "email";
    }

    @Override
    public void configure(Config environment) {
        settings = SmtpSettings.from(environment);
    }

    @Override
    public JsonNode handle(JobContext context) throws MessagingException {
        if (settings == null) {
            throw new IllegalStateException("the email handler is not configured: set SMTP_HOST and SMTP_FROM");
        }
        JsonNode payload = context.payload();
        InternetAddress to = address(payload, "to");
        String subject = required(payload, "subject");
        String text = required(payload, "text");

        Session session = Session.getInstance(settings.properties(timeoutUntil(context.deadline())));
        MimeMessage message = new MimeMessage(session);
        message.setFrom(settings.from());
        message.setRecipient(Message.RecipientType.TO, to);
        message.setSubject(subject, "UTF-8");
        message.setText(text, "UTF-8");
        message.setSentDate(new Date());
        // a retry after a lost SMTP reply may deliver twice; the job id lets the receiving side tell it is one message
        message.setHeader("X-Jobway-Job-Id", context.jobId());
        message.saveChanges();
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            transport.sendMessage(message, message.getAllRecipients());
        }
        return Json.object().put("to", to.getAddress()).put("messageId", message.getMessageID());
    }

    private static Duration timeoutUntil(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.compareTo(MAX_SMTP_WAIT) < 0 ? left : MAX_SMTP_WAIT;
    }

    private static InternetAddress address(JsonNode payload, String field) {
        String value = required(payload, field);
        try {
            InternetAddress address = new InternetAddress(value, true);
            address.validate();
            return address;
        } catch (AddressException e) {
            throw new PermanentJobFailure("'" + field + "' is not an email address: " + e.getMessage());
        }
    }

    private static String required(JsonNode payload, String field) {
        JsonNode value = payload == null ? null : payload.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new PermanentJobFailure("'" + field + "' is required and must be a non-empty string");
        }
        return value.asText();
    }

    /** Where and how to send, read once at start. */
    record SmtpSettings(String host, int port, InternetAddress from, String username, String password,
                        String startTls) {
        static SmtpSettings from(Config environment) {
            String host = environment.optional("SMTP_HOST").orElse(null);
            if (host == null) {
                return null; // not configured: a job of this type fails with a message saying so
            }
            String from = environment.optional("SMTP_FROM").orElseThrow(() ->
                    new IllegalStateException("SMTP_FROM is required when SMTP_HOST is set"));
            String startTls = environment.optional("SMTP_STARTTLS").orElse("required");
            if (!startTls.equals("required") && !startTls.equals("optional") && !startTls.equals("off")) {
                throw new IllegalStateException("SMTP_STARTTLS must be required, optional or off, was " + startTls);
            }
            try {
                return new SmtpSettings(host, Integer.parseInt(environment.optional("SMTP_PORT").orElse("587")),
                        new InternetAddress(from, true), environment.optional("SMTP_USERNAME").orElse(null),
                        environment.optional("SMTP_PASSWORD").orElse(null), startTls);
            } catch (AddressException | NumberFormatException e) {
                throw new IllegalStateException("bad SMTP settings: " + e.getMessage(), e);
            }
        }

        Properties properties(Duration timeout) {
            Properties props = new Properties();
            String millis = Long.toString(Math.max(1_000, timeout.toMillis()));
            props.put("mail.smtp.connectiontimeout", millis);
            props.put("mail.smtp.timeout", millis);
            props.put("mail.smtp.writetimeout", millis);
            props.put("mail.smtp.auth", Boolean.toString(username != null));
            props.put("mail.smtp.starttls.enable", Boolean.toString(!startTls.equals("off")));
            props.put("mail.smtp.starttls.required", Boolean.toString(startTls.equals("required")));
            return props;
        }
    }
}
