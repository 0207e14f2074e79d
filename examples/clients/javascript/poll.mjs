// The README's JavaScript recipe: AWS SDK for JavaScript v3 against `mock-sagemaker-pipelines server --speed 600`.
import { readFileSync } from "node:fs";
import {
  SageMakerClient, CreatePipelineCommand, StartPipelineExecutionCommand, DescribePipelineExecutionCommand,
} from "@aws-sdk/client-sagemaker";

const sm = new SageMakerClient({
  endpoint: process.env.ENDPOINT ?? "http://127.0.0.1:5000",
  region: "us-east-1",
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
});
await sm.send(new CreatePipelineCommand({
  PipelineName: "train-js",
  RoleArn: "arn:aws:iam::123456789012:role/pipelines",
  PipelineDefinition: readFileSync(new URL("../train.json", import.meta.url), "utf8"),
}));
const { PipelineExecutionArn } = await sm.send(new StartPipelineExecutionCommand({ PipelineName: "train-js" }));
let status = "Executing";
while (status === "Executing") {
  await new Promise((resolve) => setTimeout(resolve, 500)); // a real sleep: --speed moves the clock meanwhile
  ({ PipelineExecutionStatus: status } = await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn })));
}
console.log(PipelineExecutionArn, status);
