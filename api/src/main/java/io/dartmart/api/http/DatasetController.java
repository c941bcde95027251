package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.aws.S3Path;
import io.dartmart.domain.dataset.DatasetGuesser;
import io.dartmart.domain.dataset.FrictionlessDescriptors;
import io.dartmart.domain.dataset.SampleReader;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Envelopes;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.Entities;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/**
 * Dataset routes beyond CRUD: guessing a dataset from a file in S3, and Frictionless Data Package export and import.
 * Their literal segments ({@code guess}, {@code frictionless}) win over the generic {@code /dataset/{id}} routes.
 */
@Controller("/api/1/dataset")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetController {
    private final Entities entities;
    private final SampleReader samples;

    public DatasetController(Entities entities, SampleReader samples) {
        this.entities = entities;
        this.samples = samples;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/guess")
    public HttpResponse<String> guess(HttpRequest<?> request) {
        S3Path path = S3Path.parseObject(request.getParameters().get("s3_path"), "s3_path");
        int maxLines = maxLines(request.getParameters().get("max_lines"));
        return Responses.results(Envelopes.unsaved(samples.read(path, sample -> DatasetGuesser.guess(sample, path,
                maxLines))));
    }

    private static int maxLines(String text) {
        if (text == null || text.isBlank()) {
            return DatasetGuesser.DEFAULT_MAX_LINES;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= DatasetGuesser.MAX_LINES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new InvalidInputException("max_lines: must be an integer from 1 to " + DatasetGuesser.MAX_LINES
                + ", found '" + text + "'");
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/{id}/frictionless")
    public HttpResponse<String> exportFrictionless(String id) {
        return Responses.results(FrictionlessDescriptors.export(entities.get(EntityType.DATASET, id).data()));
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/frictionless")
    public HttpResponse<String> importFrictionless(@Body String body, HttpRequest<?> request) {
        var params = request.getParameters();
        var data = FrictionlessDescriptors.toDataset(Bodies.json(body), blankToNull(params.get("name")),
                blankToNull(params.get("location")));
        var envelope = Json.object();
        envelope.set("data", data);
        return Responses.one(entities.create(EntityType.DATASET, envelope, Bodies.caller(request)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
